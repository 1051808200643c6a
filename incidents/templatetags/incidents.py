from django import template

from incidents.models import Status

register = template.Library()


@register.filter
def status_label(value: str) -> str:
    """Timeline entries store status codes, so each reader sees them in his own language."""
    try:
        return Status(value).label
    except ValueError:
        return value


@register.filter
def get(mapping: dict, key):
    return mapping.get(key)
