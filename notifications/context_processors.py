from django.utils.functional import SimpleLazyObject

from notifications.services import unread_count


def unread_notifications(request):
    """The navigation bar's badge: one COUNT on an index, only when a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}
