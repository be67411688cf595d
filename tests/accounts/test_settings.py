from __future__ import annotations

import os
import subprocess
import sys

from django.conf import settings


def import_settings(*, code: str = "", **env: str) -> subprocess.CompletedProcess:
    """Import the settings (then run ``code``) in a fresh interpreter with ``env``."""
    own = ("DEBUG", "SECRET_KEY", "DATABASE_URL", "DATABASE_OWNER_URL", "CELERY_BROKER_URL")
    environment = {key: value for key, value in os.environ.items() if key not in own}
    # A database URL keeps the embedded server out of it: importing settings must not need one.
    environment.update({"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none", **env})
    return subprocess.run(
        [sys.executable, "-c", f"import tfp.settings\n{code}"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_a_missing_secret_key_is_a_startup_error_when_debug_is_off():
    result = import_settings(DEBUG="false")

    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_settings_load_with_debug_off_once_a_secret_key_is_given():
    result = import_settings(
        DEBUG="false", SECRET_KEY="x" * 60, CELERY_BROKER_URL="redis://127.0.0.1:6379/0"
    )

    assert result.returncode == 0, result.stderr


def test_debug_on_falls_back_to_a_development_key():
    result = import_settings(DEBUG="true")

    assert result.returncode == 0, result.stderr
