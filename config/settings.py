"""TựQuản settings: everything that differs between machines comes from the environment.

See README.md ("Configuration") for the list of variables. DEBUG is off unless asked
for, and with DEBUG off the secure settings below apply.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_periods, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("TUQUAN_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "django-insecure-dev-only-key-not-for-production-use-0123456789"  # noqa: S105 (DEBUG only)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "csp",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "core",
    "audit",
    "mfa",
    "team",
    "notifications",
    "incidents",
    "campaigns",
    "evaluations",
    "workcalendar",
    "dashboard",
    "reports",
    "duty",
    "visitors",
    "patrols",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "core.middleware.SessionTimeoutMiddleware",
    "core.middleware.ChosenLanguageMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After OTPMiddleware (is the session verified?) and the session timeout (which ends the verification too).
    "mfa.middleware.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.NoStoreForAuthenticatedMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # django-axes wants to be last: it turns a lockout raised during login into its response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.roles",
                "notifications.context_processors.unread_notifications",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
# Persistent connections with health checks: reconnecting on every request cost about
# three quarters of the throughput of a cheap page in our measurements (quality.md P8).
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'tuquan.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one SQLite file under `make run`: WAL lets readers go on
    # while one writer commits, and IMMEDIATE transactions take the write lock up front
    # instead of failing half-way with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "team.User"

# --- Authentication -------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ["username", "full_name", "email", "phone"]},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Brute-force lockout: 5 failures for one (username, IP) pair lock that pair for 15 minutes.
# Keying on the pair (not the username alone) keeps an attacker from locking a colleague
# out from another machine; the lock expires by itself so nobody stays locked forever.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
# The client's address comes from core.clientip (behind the proxy: X-Forwarded-For, see TRUSTED_PROXY_HOPS);
# axes' default, REMOTE_ADDR, would be the proxy's, and five typos by anyone would lock everyone out.
AXES_CLIENT_IP_CALLABLE = "core.clientip.client_ip"
# Credential stuffing, on top of the per-pair rule: this many failures from one address within the cool-off,
# whatever the usernames, block logins from that address for the cool-off (core/loginlimits.py).
AXES_HANDLER = "core.loginlimits.LoginLimitsHandler"
LOGIN_FAILURES_PER_ADDRESS = env_int("LOGIN_FAILURES_PER_ADDRESS", 30)
if LOGIN_FAILURES_PER_ADDRESS < AXES_FAILURE_LIMIT:
    raise ImproperlyConfigured(
        f"LOGIN_FAILURES_PER_ADDRESS must be {AXES_FAILURE_LIMIT} or more, got {LOGIN_FAILURES_PER_ADDRESS}"
    )

# --- Second factor (mfa/) -------------------------------------------------------------
# A TOTP authenticator app with recovery codes (django-otp), required for administrators and, with
# MFA_FOR_REPORTER_READERS, for everyone who may see confidential reporters (leader, deputy, leadership).
# Off with DEBUG, so `make run` and the demo log in with a password; on by default in production.
MFA_ENFORCED = env_bool("MFA_ENFORCED", not DEBUG)
MFA_FOR_REPORTER_READERS = env_bool("MFA_FOR_REPORTER_READERS", True)
OTP_TOTP_ISSUER = "TựQuản"
# After n wrong codes in a row the next is refused for 2^(n-1) seconds: 1 s, 2 s, 4 s … 8.5 minutes after ten.
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# --- Sessions -------------------------------------------------------------------------
SESSION_IDLE_TIMEOUT = timedelta(minutes=env_int("SESSION_IDLE_MINUTES", 30))
SESSION_ABSOLUTE_TIMEOUT = timedelta(hours=env_int("SESSION_MAX_HOURS", 8))
SESSION_COOKIE_AGE = int(SESSION_ABSOLUTE_TIMEOUT.total_seconds())

# --- Security headers and cookies -----------------------------------------------------
SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if SECURE_COOKIES:
    # The __Host- prefix makes the browser refuse these cookies unless they are Secure,
    # host-only and path=/, so a sibling intranet host cannot plant or overwrite them.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many proxies in front of the app append the address they received from to X-Forwarded-For: the client is
# the entry this many places from the right (core/clientip.py). 0 means no proxy, and then the header is
# ignored, since any client can send it.
TRUSTED_PROXY_HOPS = env_int("TRUSTED_PROXY_HOPS", 1 if BEHIND_TLS_PROXY else 0)
if TRUSTED_PROXY_HOPS < 0:
    raise ImproperlyConfigured(f"TRUSTED_PROXY_HOPS must be 0 or more, got {TRUSTED_PROXY_HOPS}")

# django-csp 4: no inline script anywhere, no framing, nothing loaded from other origins
# (the office intranet is often offline, so every asset is vendored under static/).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# django-permissions-policy: browser features no page uses are off, for the page and anything it embeds. The
# check-in page needs no camera: people scan the QR code in the room with their phone's own camera app.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "local-fonts",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Our formats (dd/mm/yyyy in both languages) override Django's per-locale defaults.
FORMAT_MODULE_PATH = ["config.formats"]

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Email ----------------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "TuQuan <tuquan@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Without an SMTP host, mail is written to files so nothing is silently dropped.
EMAIL_FILE_PATH = Path(env_str("EMAIL_FILE_PATH", str(VAR_DIR / "mail")))
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "django.core.mail.backends.filebased.EmailBackend",
)

# --- Celery ---------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
# Without Redis, kombu's SQLAlchemy transport keeps the queue in a SQLite file, so
# `make run` needs no server (kombu's filesystem transport crashed in our probe).
CELERY_BROKER_URL = REDIS_URL or f"sqla+sqlite:///{VAR_DIR / 'celery-broker.sqlite3'}"
CELERY_RESULT_BACKEND = REDIS_URL or f"db+sqlite:///{VAR_DIR / 'celery-results.sqlite3'}"
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_RESULT_EXPIRES = timedelta(days=1)
# At-least-once delivery: a task is acknowledged only after it ran, and re-queued if the
# worker process dies under it. Tasks must therefore be idempotent.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT = 15
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
if REDIS_URL:
    # kombu waits forever on a hung Redis by default; bound every broker call so a web
    # request can never hang on it (quality.md R2).
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "socket_timeout": 2,
        "socket_connect_timeout": 2,
        "visibility_timeout": 600,
    }
    CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = CELERY_BROKER_TRANSPORT_OPTIONS
    CELERY_BROKER_CONNECTION_TIMEOUT = 2
# Publishing from a web request: one quick retry at most, then the outbox sweep takes over.
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}

# --- TựQuản ---------------------------------------------------------------------------
# `manage.py seed_demo` creates accounts whose password is in the README: only with DEBUG (`make run`), unless
# forced with --force-demo-in-production. Not from the environment: a real site must not be one variable away.
DEMO_DATA_ALLOWED = DEBUG
TEAM_MAX_ACTIVE_MEMBERS = env_int("TEAM_MAX_ACTIVE_MEMBERS", 7)
# Staff who have neither attended nor acknowledged a running campaign are reminded this often.
CAMPAIGN_CHASE_EVERY_DAYS = env_int("CAMPAIGN_CHASE_EVERY_DAYS", 3)
# The address in the links of mails. Unset, it is where `make run` serves (Procfile: WEB_PORT, 8000 by default),
# so the demo's mails lead to the demo whatever port it runs on; a real site sets it.
SITE_URL = env_str("SITE_URL", f"http://127.0.0.1:{env_int('WEB_PORT', 8000)}")
# The audit log (audit/) keeps entries this long; a nightly job purges older ones and records that it did.
AUDIT_RETENTION_DAYS = env_int("AUDIT_RETENTION_DAYS", 730)
# TT 124 criterion 3.đ: a serious crime does not disqualify the office when it was detected promptly,
# mitigated and "reported at once" to the authorities; this many hours from detection count as at once.
TT124_REPORT_WITHIN_HOURS = env_int("TT124_REPORT_WITHIN_HOURS", 2)
# The office's working hours, in TIME_ZONE: service levels counted in working hours run only then (workcalendar).
WORKING_HOURS = env_periods("WORKING_HOURS", "07:30-11:30,13:30-17:00")
# Classes of the movement score sheet (QĐ 510): the lowest total of each class. The thresholds were not
# found in the published text; these are the commonly reported values (domain.md §2.2), to be confirmed.
MOVEMENT_EXCELLENT_FROM = env_int("MOVEMENT_EXCELLENT_FROM", 90)
MOVEMENT_GOOD_FROM = env_int("MOVEMENT_GOOD_FROM", 70)
MOVEMENT_AVERAGE_FROM = env_int("MOVEMENT_AVERAGE_FROM", 50)
# The dashboard keeps a viewer's figures this long (0: never), so flipping between periods stays quick.
DASHBOARD_CACHE_SECONDS = env_int("DASHBOARD_CACHE_SECONDS", 60)
# A shift not taken over (handover confirmed by the next shift) this long after its end is flagged to the
# team leader, once. Shifts that ended longer ago than the lookback are left alone (e.g. after an outage).
DUTY_HANDOVER_GRACE = timedelta(minutes=env_int("DUTY_HANDOVER_GRACE_MINUTES", 60))
DUTY_HANDOVER_LOOKBACK = timedelta(days=2)
# Visitors' identity numbers (personal data, Luật BVDLCN 2025) are erased this many days after the visit by a
# nightly task; the rest of the visit stays in the register.
VISITOR_ID_RETENTION_DAYS = env_int("VISITOR_ID_RETENTION_DAYS", 90)
# How much of a visitor's document number the gate keeps (data minimisation): "full", "last4" (the rest is stored
# masked) or "none" (only the kind of document checked is recorded).
VISITOR_ID_NUMBERS = env_str("VISITOR_ID_NUMBERS", "full")
if VISITOR_ID_NUMBERS not in ("full", "last4", "none"):
    raise ImproperlyConfigured(f"VISITOR_ID_NUMBERS must be full, last4 or none, not {VISITOR_ID_NUMBERS!r}.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
