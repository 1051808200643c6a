"""PLACEHOLDER while the module is being written: every view answers 501."""

from django.http import HttpResponse


def assessment(request, **kwargs):
    return HttpResponse(status=501)


def review(request, **kwargs):
    return HttpResponse(status=501)


def evidence_add(request, **kwargs):
    return HttpResponse(status=501)


def evidence_file(request, **kwargs):
    return HttpResponse(status=501)


def evidence_remove(request, **kwargs):
    return HttpResponse(status=501)
