"""The part of "Ca trực của tôi" (duty.views.my_shift) this app fills."""

from core.access import can
from patrols.selectors import rounds_of_shift


def shift_panel(user, shift, now) -> dict:
    """What templates/patrols/_shift_panel.html shows to `user`, on duty in `shift` (None when off duty).

    Two queries with a shift (its rounds, their stops), none without: the command's links need only the
    roles already read for the page.
    """
    return {
        "rounds": rounds_of_shift(shift, now) if shift else [],
        "may_manage": can(user, "patrols.manage"),
        "on_duty_now": shift is not None and shift.starts_at <= now < shift.ends_at,
    }
