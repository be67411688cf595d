from __future__ import annotations

import os

import pytest

from accounts.roles import Role
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Every factory user gets a password; the production hasher's deliberate slowness would
    cost a large share of the suite's time for nothing."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def playwright(django_db_setup, playwright):
    """pytest-playwright's Playwright, made to live beside Django's test database.

    The sync API leaves an event loop running in this thread, so Django takes it for async
    code: it would refuse the tests' queries, and it keeps a second set of connections for
    that context, which must be closed before the test database can be dropped.
    """
    from django.db import connections

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield playwright
    connections.close_all()


# --- Celery ----------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def celery_in_process(request):
    """Run tasks in-process except in integration tests, which use the real broker and worker.

    Without this, the second CI pass (CELERY_BROKER_URL set) would queue every task of an
    ordinary test to a worker that is not there.
    """
    from tfp.celery import app

    if request.node.get_closest_marker("integration"):
        yield
        return
    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    try:
        yield
    finally:
        app.conf.task_always_eager, app.conf.task_eager_propagates = previous


# --- Case files (engineer D) -----------------------------------------------------------------


@pytest.fixture
def family(db):
    """Family H10001: two adults and two children, the whole household since time began."""
    from datetime import date

    from tests.factories import HouseholdFactory, PersonFactory

    household = HouseholdFactory(ref="H10001")
    for given_name, born in [
        ("Mia", date(1979, 4, 2)),
        ("Sam", date(1977, 11, 20)),
        ("Ava", date(2001, 6, 9)),
        ("Leo", date(2004, 1, 15)),
    ]:
        PersonFactory(household=household, given_name=given_name, date_of_birth=born)
    return household


@pytest.fixture
def case_file(family, key_worker):
    """Family H10001 attached on 2 September 2013 and allocated to ``key_worker`` (Kim)."""
    from tests.factories import CaseFileFactory

    return CaseFileFactory(household=family, key_worker=key_worker)
