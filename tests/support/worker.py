"""Start and stop a real Celery worker process for a test, on a queue of its own."""

import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def database_url() -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    def __init__(self, *, pool: str = "solo", concurrency: int = 1, extra_env: dict | None = None):
        self.queue = f"test-{uuid.uuid4().hex[:8]}"
        self.pool = pool
        self.concurrency = concurrency
        self.env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.test_settings", **(extra_env or {}))
        if connection.vendor == "postgresql":
            self.env["DATABASE_URL"] = database_url()  # the worker must see the test database
        self.process = None
        self.output = ""

    def start(self) -> "Worker":
        args = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            f"--pool={self.pool}",
            "-Q",
            self.queue,
            "--without-gossip",
            "--without-mingle",
            "--loglevel=INFO",
        ]
        if self.pool == "prefork":
            args.append(f"--concurrency={self.concurrency}")
        # A file, not a pipe: nobody reads a pipe while the test runs, and a worker that logs
        # thousands of tasks would block once the pipe's buffer is full.
        self.log = tempfile.TemporaryFile(mode="w+")
        self.process = subprocess.Popen(
            args, cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, text=True
        )
        return self

    def stop(self) -> str:
        if self.process is None:
            return self.output
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.seek(0)
        self.output += self.log.read()
        self.log.close()
        self.process = None
        return self.output


def wait_until(predicate, timeout: float = 30, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")
