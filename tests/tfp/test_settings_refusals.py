"""Settings refuse what they cannot read: each bad value is a start-up error naming the variable
(tfp/environment.py), and with DEBUG off the database and the broker must be named."""

from __future__ import annotations

import pytest

from tests.accounts.test_settings import import_settings

PRODUCTION = {"DEBUG": "false", "SECRET_KEY": "x" * 60}
BROKER = "redis://127.0.0.1:6379/0"


def refused(result, message: str) -> bool:
    return result.returncode != 0 and message in result.stderr


@pytest.mark.parametrize("typed", ["flase", "ture", "maybe", "2"])
def test_a_boolean_that_is_neither_true_nor_false_is_refused(typed):
    result = import_settings(DEBUG="true", SECURE_SSL_REDIRECT=typed)

    assert refused(result, f"SECURE_SSL_REDIRECT must be true or false, not '{typed}'")


def test_debug_itself_must_be_true_or_false():
    assert refused(import_settings(DEBUG="yes please"), "DEBUG must be true or false")


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("True", True), ("false", False), ("ON", True), ("0", False), ("", False)],
)
def test_the_usual_spellings_of_a_boolean_are_read(typed, expected):
    result = import_settings(
        DEBUG="true",
        SESSION_COOKIE_SECURE=typed,
        code="print(tfp.settings.SESSION_COOKIE_SECURE)",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(expected)  # blank is unset: the default, off under DEBUG


@pytest.mark.parametrize("name", ["SESSION_COOKIE_AGE", "AXES_FAILURE_LIMIT", "CONN_MAX_AGE"])
def test_a_number_that_is_not_a_whole_number_is_refused(name):
    result = import_settings(DEBUG="true", **{name: "30 minutes"})

    assert refused(result, f"{name} must be a whole number, not '30 minutes'")


def test_a_negative_number_is_refused():
    result = import_settings(DEBUG="true", SECURE_HSTS_SECONDS="-1")

    assert refused(result, "SECURE_HSTS_SECONDS must be at least 0, not -1")


def test_a_database_url_of_another_kind_is_refused_without_repeating_it():
    result = import_settings(DEBUG="true", DATABASE_URL="mysql://tfp:s3cret@db/tfp")

    assert refused(result, "DATABASE_URL must be a URL starting postgres:// or postgresql://")
    assert "s3cret" not in result.stderr


@pytest.mark.parametrize("typed", ["localhost:6379", "redis://127.0.0.1:port/0"])
def test_a_broker_url_that_cannot_be_read_is_refused(typed):
    result = import_settings(DEBUG="true", CELERY_BROKER_URL=typed)

    assert refused(result, "CELERY_BROKER_URL must be a URL starting redis://")


def test_with_debug_off_a_missing_database_url_is_refused():
    result = import_settings(**PRODUCTION, DATABASE_URL="", CELERY_BROKER_URL=BROKER)

    assert refused(result, "DATABASE_URL must be set when DEBUG is off")


def test_with_debug_off_a_missing_broker_is_refused():
    result = import_settings(**PRODUCTION, CELERY_BROKER_URL="", code="import tfp.wsgi")

    assert refused(result, "CELERY_BROKER_URL must be set when DEBUG is off")


def test_with_debug_off_both_named_the_settings_load():
    result = import_settings(**PRODUCTION, CELERY_BROKER_URL=BROKER)

    assert result.returncode == 0, result.stderr
