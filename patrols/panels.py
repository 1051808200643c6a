"""The part of "Ca trực của tôi" (duty.views.my_shift) this app fills."""


def shift_panel(user, shift, now) -> dict:
    """What templates/patrols/_shift_panel.html shows to `user`, on duty in `shift` (None when off duty)."""
    return {}
