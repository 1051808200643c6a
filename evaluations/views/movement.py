"""PLACEHOLDER while the module is being written: every view answers 501."""

from django.http import HttpResponse


def score_sheet(request, **kwargs):
    return HttpResponse(status=501)
