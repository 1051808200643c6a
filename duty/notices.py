"""What the duty logbook tells people."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import Kind, register

HANDOVER_MISSING = register(
    Kind("duty.handover_missing", _("A shift ended without a confirmed handover (team leader)"))
)
HANDOVER_WAITING = register(Kind("duty.handover_waiting", _("A shift was handed over to you")))
