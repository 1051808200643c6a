"""What every bench measures with: milliseconds (median and p95 of several rounds) and SQL statements.

Imported after the bench has set up Django (each bench script does so before its imports).
"""

import statistics
import time

from django.db import connection
from django.test import Client


def timed(function, rounds: int) -> tuple[float, float]:
    """The median and the 95th percentile, in milliseconds, of `rounds` calls of `function`."""
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, int(len(samples) * 0.95) - 1)]


class Counter:
    """Counts the SQL statements run while it is active."""

    def __init__(self):
        self.statements = 0

    def __call__(self, execute, sql, params, many, context):
        self.statements += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        self._wrapper = connection.execute_wrapper(self)
        self._wrapper.__enter__()
        return self

    def __exit__(self, *exc):
        self._wrapper.__exit__(*exc)


def statements_of(function) -> int:
    with Counter() as counter:
        function()
    return counter.statements


def queries_of(client, path) -> int:
    return statements_of(lambda: client.get(path))


def logged_in(username: str) -> Client:
    """A test client logged in as `username` (a demo account), as a browser after its log-in."""
    from team.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client
