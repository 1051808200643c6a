"""Writes of the evaluations app, one module per sub-domain. Each public function is one transaction."""
