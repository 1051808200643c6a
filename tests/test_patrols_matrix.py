"""Roles × URLs for the patrols app: who reaches which page, and 404 for everyone else."""

# Every patrols URL this file checks; test_url_matrix.py requires every site URL to be listed somewhere.
COVERED: set[str] = set()
