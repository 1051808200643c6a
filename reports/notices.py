"""What the periodic reports tell people (through notifications/)."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import Kind, register
from notifications.services import notify_many

DRAFT_READY = register(Kind("reports.draft_ready", _("Draft of the monthly report ready"), personal=False))


def tell(recipients, kind: Kind, *, url: str, key: str = "", **context) -> list:
    return notify_many(
        recipients=[p for p in recipients if p is not None], kind=kind.code, context=context, url=url, dedupe_key=key
    )
