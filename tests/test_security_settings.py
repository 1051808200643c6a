"""Production security settings and headers, as a browser and an auditor would see them."""

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "x9!Pq2#vLm8@Rt5^Wz1&Ky7*Hb3$Nc6%Dj0+Fs4=Gu2~Ea9-Qo5_Ti8;Xr1",
    "ALLOWED_HOSTS": "tuquan.vpubnd.example",
}


def test_check_deploy_reports_nothing_with_production_settings():
    test_only = ("DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in test_only}
    env.update(PRODUCTION_ENV, DJANGO_SETTINGS_MODULE="config.settings")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.mark.parametrize("entry_point", ["config.wsgi", "config.celery"])
def test_the_servers_refuse_to_start_without_a_secret_key(entry_point):
    """gunicorn and Celery default to DEBUG off, so a missing SECRET_KEY stops them at start."""
    unset = ("DEBUG", "SECRET_KEY", "DJANGO_SETTINGS_MODULE")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    script = f"import {entry_point}, django; django.setup()"
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_security_headers_on_a_logged_in_page(client, staff):
    client.force_login(staff)
    response = client.get(reverse("team:team"), secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "no-store" in response["Cache-Control"]
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"  # no inline script, no other origin
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


def test_the_login_page_carries_the_headers_too(client, db):
    response = client.get(reverse("login"), secure=True)
    assert "Content-Security-Policy" in response
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def test_no_template_has_inline_script():
    offenders = []
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        if "<script>" in text or " onclick=" in text or "javascript:" in text:
            offenders.append(str(template))
    assert offenders == []


def test_cookies_are_secure_httponly_and_host_prefixed(client, staff):
    client.get(reverse("login"), secure=True)
    response = client.post(reverse("login"), {"username": staff.username, "password": PASSWORD}, secure=True)
    assert response.status_code == 302  # logged in
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    csrf = response.cookies[settings.CSRF_COOKIE_NAME]  # rotated on login
    assert settings.SESSION_COOKIE_NAME == "__Host-sessionid"
    assert settings.CSRF_COOKIE_NAME == "__Host-csrftoken"
    for cookie in (session, csrf):
        assert cookie["secure"] is True
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"
        assert cookie["path"] == "/" and not cookie["domain"]


def test_plain_http_is_redirected_to_https_in_production(client, settings, db):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(reverse("login"))
    assert response.status_code == 301
    assert response["Location"].startswith("https://")


def test_session_lifetimes():
    assert settings.SESSION_IDLE_TIMEOUT == timedelta(minutes=30)
    assert settings.SESSION_ABSOLUTE_TIMEOUT == timedelta(hours=8)
    assert settings.SESSION_COOKIE_AGE == 8 * 3600


def test_persistent_database_connections_with_health_checks():
    database = settings.DATABASES["default"]
    assert database["CONN_HEALTH_CHECKS"] is True
    if database["ENGINE"].endswith("postgresql"):
        assert database["CONN_MAX_AGE"] >= 60


def test_served_by_gunicorn_and_whitenoise():
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE
    assert settings.WSGI_APPLICATION == "config.wsgi.application"
    assert (ROOT / "gunicorn.conf.py").exists()


@pytest.mark.parametrize(
    "password",
    ["short-pw1", "123456789012345", "password123456", "Phạm Thị Hoa"],
)
def test_weak_passwords_are_refused(staff, password):
    with pytest.raises(ValidationError):
        validate_password(password, staff)


def test_long_passphrases_are_accepted(staff):
    validate_password("ba con mèo trèo cây cau " * 3, staff)  # 72 characters, no composition rules


# --- idle and absolute session timeouts ---------------------------------------------------


def test_an_idle_session_ends_after_30_minutes(client, staff, time_travel):
    client.force_login(staff)
    assert client.get(reverse("home")).status_code == 200
    time_travel(minutes=31)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session


def test_activity_keeps_the_session_alive_but_not_past_8_hours(client, staff, time_travel):
    client.force_login(staff)
    client.get(reverse("home"))
    for _ in range(16):  # 16 × 29 minutes = 7 h 44 min of steady use
        time_travel(minutes=29)
        assert client.get(reverse("home")).status_code == 200
    time_travel(minutes=20)  # 8 h 04 min after login
    assert client.get(reverse("home")).status_code == 302


@pytest.fixture
def time_travel(monkeypatch):
    import time as time_module

    offset = {"seconds": 0.0}
    real_time = time_module.time

    def fake_time():
        return real_time() + offset["seconds"]

    monkeypatch.setattr("core.middleware.time.time", fake_time)

    def travel(minutes):
        offset["seconds"] += minutes * 60

    return travel
