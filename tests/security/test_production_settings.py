"""With DEBUG off the service is locked down: Django's deployment checks pass, cookies are
secure, HSTS is on, and the sign-in protections are in force."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k" * 20 + "-production-like-secret-" + "q" * 30,
    "ALLOWED_HOSTS": "tfp.example.gov.uk",
    # Never connected to: the checks below need settings, not a database.
    "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
    "CELERY_BROKER_URL": "redis://127.0.0.1:1/0",
}


def run_with_production_settings(*args: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("SECURE_", "SESSION_", "CSRF_"))
        # The browser fixtures set DJANGO_ALLOW_ASYNC_UNSAFE for this test process only.
        and key not in ("DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    environment.update(PRODUCTION)
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def production() -> dict:
    names = [
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SESSION_COOKIE_AGE",
        "SESSION_COOKIE_HTTPONLY",
        "SESSION_EXPIRE_AT_BROWSER_CLOSE",
        "AXES_FAILURE_LIMIT",
        "X_FRAME_OPTIONS",
    ]
    script = (
        "import os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'tfp.settings'); "
        "import json, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: getattr(settings, n) for n in {names!r}}}))"
    )
    result = run_with_production_settings("-c", script)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_djangos_deployment_checks_pass_with_no_warning():
    result = run_with_production_settings(
        "manage.py", "check", "--deploy", "--fail-level", "WARNING"
    )

    assert result.returncode == 0, result.stdout + result.stderr


def test_cookies_travel_over_https_only(production):
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SECURE"] is True
    assert production["SESSION_COOKIE_HTTPONLY"] is True


def test_https_is_enforced_with_a_year_of_hsts(production):
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True


def test_sessions_end_after_thirty_idle_minutes_and_at_browser_close(production):
    assert production["SESSION_COOKIE_AGE"] == 30 * 60
    assert production["SESSION_EXPIRE_AT_BROWSER_CLOSE"] is True


def test_framing_is_refused_and_sign_in_is_throttled(production):
    assert production["X_FRAME_OPTIONS"] == "DENY"
    assert production["AXES_FAILURE_LIMIT"] == 5
