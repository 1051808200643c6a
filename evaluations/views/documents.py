"""PLACEHOLDER while the module is being written: every view answers 501."""

from django.http import HttpResponse


def draft(request, **kwargs):
    return HttpResponse(status=501)


def preview(request, **kwargs):
    return HttpResponse(status=501)


def issue(request, **kwargs):
    return HttpResponse(status=501)


def issued_file(request, **kwargs):
    return HttpResponse(status=501)


def signed_copy(request, **kwargs):
    return HttpResponse(status=501)


def commendation_draft(request, **kwargs):
    return HttpResponse(status=501)


def commendation_preview(request, **kwargs):
    return HttpResponse(status=501)


def commendation_issue(request, **kwargs):
    return HttpResponse(status=501)
