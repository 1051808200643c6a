"""Password reset requests: the same answer, as fast, for every address; the link goes out through the outbox.

1. The request counts itself, per e-mail address and per client address (over a limit it is dropped without a
   word, so the limit reveals no account either), and hands the address to the worker: the same work whether
   an account uses the address or not, so neither the page nor its answer time tells which.
2. The worker writes one notification per active account with that address (kind team.password_reset, by
   email only, in the person's language) carrying a link from Django's token generator; the outbox delivers
   it. SMTP never runs in a request, and a colleague's mailbox gets three links an hour at most.
"""

import logging
from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from core import ratelimit
from notifications.delivery import PUBLISH_RETRY_POLICY
from notifications.services import notify
from team.notices import PASSWORD_RESET

log = logging.getLogger(__name__)

RESET_PER_ADDRESS = ratelimit.Limit(
    "password-reset-address", attempts=3, window=timedelta(hours=1), cooloff=timedelta(hours=1)
)
RESET_PER_CLIENT = ratelimit.Limit(
    "password-reset-client", attempts=10, window=timedelta(hours=1), cooloff=timedelta(hours=1)
)


def request_reset(*, email: str, client: str | None) -> None:
    """Someone at `client` asked for a link for `email`. Answers nothing, whatever happens."""
    try:
        ratelimit.attempt([(RESET_PER_ADDRESS, email.casefold()), (RESET_PER_CLIENT, client)])
    except ratelimit.Limited:
        log.info("Password reset request from %s dropped: over the limit", client)
        return
    transaction.on_commit(partial(_hand_to_worker, email))


def _hand_to_worker(email: str) -> None:
    from team.tasks import send_password_reset_links

    try:
        send_password_reset_links.apply_async((email,), retry=True, retry_policy=PUBLISH_RETRY_POLICY)
    except Exception as error:  # kombu raises several types; the person must still get the link
        # The broker is down: write the notifications here instead, and the outbox sweep sends them once it is
        # back. Only during an outage does the answer time then differ between known and unknown addresses.
        log.warning("Broker unavailable, password reset links written in the request: %s", error)
        send_reset_links(email)


def send_reset_links(email: str) -> int:
    """Write a reset link notification for each active account with a usable password at `email`. Returns how many."""
    hours = max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)
    sent = 0
    with transaction.atomic():
        for user in _accounts(email):
            link = reverse(
                "password_reset_confirm",
                kwargs={
                    "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                    "token": default_token_generator.make_token(user),
                },
            )
            sent += notify(recipient=user, kind=PASSWORD_RESET.code, context={"hours": hours}, url=link) is not None
    return sent


def _accounts(email: str):
    """The accounts Django's PasswordResetForm would mail: active, usable password, same address ignoring case."""
    User = get_user_model()
    field = User.get_email_field_name()
    users = User._default_manager.filter(**{f"{field}__iexact": email, "is_active": True})
    return [
        user for user in users if user.has_usable_password() and getattr(user, field).casefold() == email.casefold()
    ]
