"""Typed readers for settings taken from the environment.

Each reader fails loudly (ImproperlyConfigured) on a malformed value, so a typo
in a deployment file stops the process at start-up instead of silently falling
back to a default.
"""

import os
from datetime import time

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_periods(name: str, default: str) -> list[tuple[time, time]]:
    """Periods of the day such as `07:30-11:30,13:30-17:00`, in order and not overlapping."""
    raw = os.environ.get(name, default)
    periods = []
    try:
        for item in raw.split(","):
            start, end = (time.fromisoformat(part.strip()) for part in item.split("-"))
            periods.append((start, end))
    except ValueError:
        raise ImproperlyConfigured(f"{name} must read like 07:30-11:30,13:30-17:00, got {raw!r}") from None
    ends = [moment for period in periods for moment in period]
    if not periods or ends != sorted(ends) or any(start == end for start, end in periods):
        raise ImproperlyConfigured(f"{name} must list periods in order within one day, not overlapping, got {raw!r}")
    return periods
