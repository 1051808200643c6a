"""PLACEHOLDER while the module is being written: every view answers 501."""

from django.http import HttpResponse


def index(request, **kwargs):
    return HttpResponse(status=501)


def start_year(request, **kwargs):
    return HttpResponse(status=501)


def detail(request, **kwargs):
    return HttpResponse(status=501)


def edit_settings(request, **kwargs):
    return HttpResponse(status=501)


def history(request, **kwargs):
    return HttpResponse(status=501)


def stage(request, **kwargs):
    return HttpResponse(status=501)


def meeting(request, **kwargs):
    return HttpResponse(status=501)


def sign_off(request, **kwargs):
    return HttpResponse(status=501)


def outcome(request, **kwargs):
    return HttpResponse(status=501)
