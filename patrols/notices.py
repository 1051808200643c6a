"""What patrol rounds tell people."""

from django.utils.translation import gettext_lazy as _

from notifications.kinds import Kind, register

# Not personal: the text names the round and the member on duty, never the reader, so one rendering serves both.
MISSED = register(
    Kind("patrols.missed", _("A patrol round missed checkpoints (team leader and deputy)"), personal=False)
)
