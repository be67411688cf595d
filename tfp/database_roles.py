"""The database's two roles: the owner, which migrations connect as, and the service's own role.

The web server and the workers connect as the service's role (``DATABASE_URL``). It owns
nothing and holds only what the service needs, so even a hijacked service cannot rewrite
history: on the audit log it may only INSERT and SELECT; TRUNCATE, ALTER TABLE (and with it
switching triggers off) and ``session_replication_role`` need the owner or a superuser.
Migrations connect as the owner (``DATABASE_OWNER_URL``, the same database) and then grant
the service's role its privileges on whatever they created.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connections

# What the service may do to the audit log: add entries and read them, nothing else.
AUDIT_TABLE = "audit_auditentry"


@contextmanager
def connected_as(role: str, *, using: str = "default") -> Iterator[None]:
    """Connect ``using`` as ``role`` ("owner" or "service") until the block ends."""
    connection = connections[using]
    wanted = settings.DATABASE_ROLES[role]
    before = {key: connection.settings_dict[key] for key in wanted}
    if before == wanted:
        yield
        return
    connection.close()
    connection.settings_dict.update(wanted)
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.update(before)


def separate_roles() -> bool:
    """Whether the service connects as a role of its own (not as the owner)."""
    return settings.DATABASE_ROLES["service"]["USER"] != settings.DATABASE_ROLES["owner"]["USER"]


def grant_service_privileges(*, using: str = "default") -> None:
    """As the owner: the service's role may read and write every table but the audit log's,
    which it may only read and add to. Run after every migration, so new tables are covered."""
    if not separate_roles():
        return
    connection = connections[using]
    service = connection.ops.quote_name(settings.DATABASE_ROLES["service"]["USER"])
    with connection.cursor() as cursor:
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {service}")
        cursor.execute(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {service}"
        )
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {service}")
        cursor.execute(
            f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {AUDIT_TABLE} FROM {service}"
        )
