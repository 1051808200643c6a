"""PLACEHOLDER while the module is being written: every view answers 501."""

from django.http import HttpResponse


def register(request, **kwargs):
    return HttpResponse(status=501)


def export(request, **kwargs):
    return HttpResponse(status=501)


def propose(request, **kwargs):
    return HttpResponse(status=501)


def detail(request, **kwargs):
    return HttpResponse(status=501)


def act(request, **kwargs):
    return HttpResponse(status=501)
