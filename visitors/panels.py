"""The part of "Ca trực của tôi" (duty.views.my_shift) this app fills."""


def shift_panel(user, shift, now) -> dict:
    """What templates/visitors/_shift_panel.html shows to `user`, on duty in `shift` (None when off duty)."""
    return {}


def handover_items(now) -> list[dict]:
    """The visitors still inside at `now`, for the duty handover: [{"text": ..., "url": ...}]."""
    return []
