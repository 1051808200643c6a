"""Roles × URLs for the visitors app: who reaches which page, and 404 for everyone else."""

# Every visitors URL this file checks; test_url_matrix.py requires every site URL to be listed somewhere.
COVERED: set[str] = set()
