from django import template

from incidents.models import Severity, Status

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


@register.filter
def severity_label(value: str) -> str:
    """Timeline entries store a severity as its number ("3"), so each reader sees its name in his language."""
    try:
        return Severity(int(value)).label
    except ValueError:
        return value
