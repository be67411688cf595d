"""Reading settings from the environment loudly (healthchecks' ``envbool``): a value that the
variable cannot take is a start-up error that names the variable, never a quiet default.
``SECURE_SSL_REDIRECT=flase`` stops the service instead of turning the redirect off."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

TRUE = ("true", "yes", "on", "1")
FALSE = ("false", "no", "off", "0")
DATABASE_SCHEMES = ("postgres", "postgresql")
BROKER_SCHEMES = ("redis", "rediss", "amqp", "amqps")


def _given(name: str) -> str | None:
    """The variable's value, or None when it is unset or blank (then the default applies)."""
    value = os.environ.get(name, "").strip()
    return value or None


def env_bool(name: str, *, default: bool) -> bool:
    value = _given(name)
    if value is None:
        return default
    if value.lower() in TRUE:
        return True
    if value.lower() in FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, *, default: int, minimum: int = 0) -> int:
    value = _given(name)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None
    if number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}.")
    return number


def env_url(name: str, *, schemes: tuple[str, ...]) -> str:
    """The URL in ``name``, or "" when unset; one of another kind or unreadable is an error.
    The message does not repeat the value: a URL may hold a password."""
    value = _given(name)
    if value is None:
        return ""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  (reading it checks it is a number)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in schemes:
        raise ImproperlyConfigured(
            f"{name} must be a URL starting {' or '.join(s + '://' for s in schemes)}"
            + (f", not {parts.scheme}://." if parts and parts.scheme else ".")
        )
    return value
