"""PLACEHOLDER while the module is being written: every view answers 501."""

from django.http import HttpResponse


def ratings(request, **kwargs):
    return HttpResponse(status=501)


def discipline(request, **kwargs):
    return HttpResponse(status=501)
