from smtplib import SMTPDataError

from django.core.mail.backends.base import BaseEmailBackend


class BrokenBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise SMTPDataError(554, b"SMTP server said no")
