"""The one authorization layer: "may this user do X to this object?" and "what may this user see?".

Every app registers its rules here (in its own `access.py`, imported from `AppConfig.ready`)
and every view, list, export, download and admin page asks here. Anything not registered
is denied.

- `can(user, action, obj=None)`: a yes/no for one action, e.g. ``can(user, "team.manage_roster")``.
- `visible(user, queryset)`: the part of a queryset the user may see; object views fetch through
  it, so an object outside it is a 404, never a leak of its existence.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

Rule = Callable[[Any, Any], bool]
Scope = Callable[[Any, QuerySet], QuerySet]

_rules: dict[str, Rule] = {}
_scopes: dict[type[Model], Scope] = {}


def rule(action: str) -> Callable[[Rule], Rule]:
    """Register the predicate that decides `action`. Predicates get (user, obj)."""

    def register(predicate: Rule) -> Rule:
        if action in _rules and _rules[action] is not predicate:
            raise ImproperlyConfigured(f"Authorization rule {action!r} is registered twice.")
        _rules[action] = predicate
        return predicate

    return register


def scope(model: type[Model]) -> Callable[[Scope], Scope]:
    """Register the function that narrows a queryset of `model` to what a user may see."""

    def register(narrow: Scope) -> Scope:
        _scopes[model] = narrow
        return narrow

    return register


def _is_live_user(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can(user, action: str, obj: Any = None) -> bool:
    if not _is_live_user(user):
        return False
    try:
        predicate = _rules[action]
    except KeyError:
        raise ImproperlyConfigured(f"No authorization rule is registered for {action!r}.") from None
    return bool(predicate(user, obj))


def require(user, action: str, obj: Any = None) -> None:
    """Raise PermissionDenied (403) unless `can(user, action, obj)`."""
    if not can(user, action, obj):
        raise PermissionDenied


def require_or_404(user, action: str, obj: Any = None) -> None:
    """Raise Http404 unless `can(user, action, obj)`: a page the reader may not use does not exist for him."""
    if not can(user, action, obj):
        raise Http404


def visible(user, queryset: QuerySet) -> QuerySet:
    if not _is_live_user(user):
        return queryset.none()
    try:
        narrow = _scopes[queryset.model]
    except KeyError:
        raise ImproperlyConfigured(f"No visibility scope is registered for {queryset.model.__name__}.") from None
    return narrow(user, queryset)


def get_visible_or_404(user, queryset: QuerySet, **lookup):
    return get_object_or_404(visible(user, queryset), **lookup)


def registered_actions() -> list[str]:
    return sorted(_rules)
