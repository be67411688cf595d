"""``manage.py seed_demo``: demo users with passwords printed once, and a made-up population."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

from accounts.roles import Role, roles_of
from demo.services import DEMO_USERS
from families.models import EligibilityRun, ImportBatch, Person

SMALL = "40"
PASSWORD_LINE = re.compile(r"^\s+(demo_\w+)\s+.+?\s+(\S{20,})$", re.MULTILINE)


def seed(*args: str) -> str:
    out = io.StringIO()
    call_command("seed_demo", "--households", SMALL, *args, stdout=out)
    return out.getvalue()


def printed_passwords(output: str) -> dict[str, str]:
    return dict(PASSWORD_LINE.findall(output))


@pytest.fixture
def seeded(db) -> dict[str, str]:
    return printed_passwords(seed())


def test_one_demo_user_per_role_signs_in_with_the_printed_password(seeded):
    assert set(seeded) == {username for username, *_ in DEMO_USERS}
    for username, role, *_ in DEMO_USERS:
        user = authenticate(username=username, password=seeded[username])
        assert user is not None, username
        assert roles_of(user) == {role}
    assert {role for _, role, *_ in DEMO_USERS} == set(Role)


def test_the_population_is_imported_through_the_import_service(seeded):
    batches = ImportBatch.objects.all()
    assert batches.filter(status=ImportBatch.Status.SUCCEEDED).count() > 10
    assert {batch.imported_by.username for batch in batches} == {"demo_data_officer"}
    assert Person.objects.count() > 40
    assert EligibilityRun.objects.filter(status=EligibilityRun.Status.SUCCEEDED).exists()


def test_seeding_again_does_nothing_and_prints_no_password(seeded):
    hashes = dict(get_user_model().objects.values_list("username", "password"))
    people = Person.objects.count()
    batches = ImportBatch.objects.count()

    output = seed()

    assert "already exist: nothing was done" in output
    assert printed_passwords(output) == {}
    assert dict(get_user_model().objects.values_list("username", "password")) == hashes
    assert Person.objects.count() == people
    assert ImportBatch.objects.count() == batches


def test_reset_passwords_prints_new_ones_that_replace_the_old(seeded):
    output = seed("--reset-passwords")

    fresh = printed_passwords(output)
    assert set(fresh) == set(seeded)
    for username, password in fresh.items():
        assert password != seeded[username]
        assert authenticate(username=username, password=password) is not None
        assert authenticate(username=username, password=seeded[username]) is None
