"""/healthz answers JSON about the database and the broker, for monitoring and load balancers."""

import socket

import pytest
from django.urls import reverse

from config.celery import app as celery_app


def test_healthy_when_database_and_broker_answer(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}
    assert "no-store" in response["Cache-Control"]


@pytest.fixture
def dead_broker(monkeypatch):
    """Point the Celery app at a local port where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setattr(celery_app.conf, "broker_url", f"redis://127.0.0.1:{port}/0")
    # Drop pooled connections to the real broker so the probe really dials the dead port.
    monkeypatch.setattr(celery_app, "_pool", None)
    yield


def test_503_when_the_broker_is_down(client, db, dead_broker):
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "broker": "unavailable"}


def test_503_when_the_database_is_down(client, db, monkeypatch):
    from django.db import OperationalError

    from core import health

    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    with monkeypatch.context() as patch:
        patch.setattr(health.connection, "cursor", broken_cursor)
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_healthz_needs_no_login_and_leaks_nothing(client, db):
    body = client.get(reverse("healthz")).content.decode()
    assert "password" not in body and "redis://" not in body and "postgres" not in body
