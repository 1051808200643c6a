"""Settings for the test suite: production settings, with a fast password hasher and in-memory mail."""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-used-anywhere-else-0123456789-abcdefghijklmnop")
os.environ.setdefault("DEBUG", "0")
# Playwright's sync API runs an event loop in the test thread; Django would refuse ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from config.settings import *  # noqa: E402,F403

ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# In-memory mail, unless a test starts a worker process that must write mail where the test can count it.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
# The test client speaks plain HTTP; tests that check the redirect pass secure=True or enable it.
SECURE_SSL_REDIRECT = False
# Production settings, yet the tests and benchmarks load the demo (seed_demo refuses otherwise with DEBUG off).
DEMO_DATA_ALLOWED = True
# The suite logs in with force_login; tests/test_mfa.py switches the second factor on where it is the subject.
MFA_ENFORCED = False
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# whitenoise warns about a missing STATIC_ROOT on every test request otherwise.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
