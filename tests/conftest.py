from __future__ import annotations

import pytest

from accounts.roles import Role
from tests.factories import UserFactory


@pytest.fixture
def coordinator(db):
    return UserFactory(username="carol", first_name="Carol", role=Role.COORDINATOR)


@pytest.fixture
def key_worker(db):
    return UserFactory(username="kim", first_name="Kim", role=Role.KEY_WORKER)


@pytest.fixture
def other_key_worker(db):
    return UserFactory(username="otto", first_name="Otto", role=Role.KEY_WORKER)


@pytest.fixture
def finance_officer(db):
    return UserFactory(username="fran", first_name="Fran", role=Role.FINANCE_OFFICER)


@pytest.fixture
def data_officer(db):
    return UserFactory(username="dana", first_name="Dana", role=Role.DATA_OFFICER)


@pytest.fixture
def auditor(db):
    return UserFactory(username="audrey", first_name="Audrey", role=Role.AUDITOR)


@pytest.fixture
def administrator(db):
    return UserFactory(username="adam", first_name="Adam", role=Role.ADMINISTRATOR)
