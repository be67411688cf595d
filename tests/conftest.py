from __future__ import annotations

import os

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


# --- Browser tests (helpers in tests/browser.py) ---------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Point pytest-playwright's session browser at Debian's Chromium."""
    from tests.browser import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        message = f"Browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API keeps an event loop running in this thread, which Django would
    # otherwise take for async code and refuse the database queries the tests make.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture
def live_server(live_server, django_db_serialized_rollback):
    """The live server, with the role groups the migrations made restored for every test.

    Live-server tests are transactional, so the database is flushed after each one; a
    serialized rollback puts the migrations' data (the role groups) back before the next.
    """
    return live_server
