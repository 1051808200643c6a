"""Email backends the worker process uses in tests, so a test can count what was really sent."""

import os
import time
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend as FileBackend


class SlowFileBackend(FileBackend):
    """Writes a marker with the process id, waits, then writes the email.

    A test can see the worker is in the middle of sending and kill that very process.
    """

    def send_messages(self, email_messages):
        marker = Path(os.environ["SLOW_EMAIL_MARKER_DIR"]) / f"sending-{os.getpid()}-{time.time_ns()}"
        marker.write_text(str(os.getpid()))
        time.sleep(float(os.environ.get("SLOW_EMAIL_SECONDS", "5")))
        return super().send_messages(email_messages)
