"""The audit log cannot be bypassed, even by the service's own database account: the service
connects as a role that owns nothing, and may only add to the audit log and read it."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from psycopg.errors import InsufficientPrivilege

from tfp.database_roles import separate_roles

pytestmark = pytest.mark.skipif(
    not separate_roles(),
    reason="DATABASE_OWNER_URL is not set: the service connects as the owner of its tables",
)


def signed_in_as(role: str) -> psycopg.Connection:
    """A connection of its own to the test database, signed in as ``role`` itself."""
    db = connection.settings_dict
    credentials = settings.DATABASE_ROLES[role]
    return psycopg.connect(
        host=db["HOST"],
        port=db["PORT"] or None,
        dbname=db["NAME"],
        user=credentials["USER"],
        password=credentials["PASSWORD"] or None,
        autocommit=True,
    )


@pytest.fixture
def service(django_db_setup) -> Iterator[psycopg.Connection]:
    with signed_in_as("service") as conn:
        yield conn


def test_the_service_role_is_no_superuser_and_owns_nothing(service):
    superuser, owned = service.execute(
        """SELECT rolsuper, (SELECT count(*) FROM pg_class WHERE relowner = pg_roles.oid)
           FROM pg_roles WHERE rolname = current_user"""
    ).fetchone()
    assert (superuser, owned) == (False, 0)


def test_the_service_role_cannot_truncate_the_audit_log(service):
    with pytest.raises(InsufficientPrivilege):
        service.execute("TRUNCATE audit_auditentry")


def test_the_service_role_cannot_switch_the_audit_logs_triggers_off(service):
    with pytest.raises(InsufficientPrivilege, match="must be owner"):
        service.execute("ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_append_only")


def test_the_service_role_cannot_skip_triggers_as_a_replica(service):
    with pytest.raises(InsufficientPrivilege):
        service.execute("SET session_replication_role = replica")


def test_the_service_role_may_only_add_audit_entries_and_read_them(service):
    entry = service.execute(
        """INSERT INTO audit_auditentry (at, username, action, object_type, object_id, family_ref,
               summary, path, details)
           VALUES (now(), 'carol', 'view', '', '', 'H10001', 'Viewed', '', '{}') RETURNING id"""
    ).fetchone()[0]
    assert service.execute("SELECT summary FROM audit_auditentry WHERE id = %s", [entry]).fetchone()
    for statement in ["UPDATE audit_auditentry SET summary = ''", "DELETE FROM audit_auditentry"]:
        with pytest.raises(InsufficientPrivilege, match="permission denied"):
            service.execute(statement)


def test_not_even_the_owner_can_truncate_the_audit_log_without_switching_its_trigger_off(
    django_db_setup,
):
    with signed_in_as("owner") as owner, pytest.raises(InsufficientPrivilege, match="append-only"):
        owner.execute("TRUNCATE audit_auditentry")
