from __future__ import annotations

import os

import pytest

from accounts.roles import Role
from tests.factories import UserFactory
from tests.migrated_data import restore_migrated_data


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


# --- Database ----------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings):
    """The test database is created and migrated by the owner role, as ``migrate`` does."""
    from tfp.database_roles import connected_as

    with connected_as("owner"):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The migrated test database, returning a serialized copy of what the migrations put in.

    The tests then run as the service's own role, as the service does: the owner signs in and
    takes the service's role (SET ROLE) on every connection, live servers' included.
    Transactional tests (every ``live_server`` test) flush the database when they end; the
    copy is how the role groups and permissions come back for the tests after them.
    """
    from django.conf import settings
    from django.db import connection
    from django.db.backends.signals import connection_created

    from tfp.database_roles import separate_roles

    options = connection.settings_dict["OPTIONS"]
    if separate_roles():
        options["assume_role"] = settings.DATABASE_ROLES["service"]["USER"]
    # Every connection, as browser tests flush through one of their own (see ``playwright``).
    connection_created.connect(_flush_as_owner_on)
    connection.close()
    with django_db_blocker.unblock():
        serialized = connection.creation.serialize_db_to_string()
    yield serialized
    connection_created.disconnect(_flush_as_owner_on)
    options.pop("assume_role", None)
    connection.close()


def _flush_as_owner_on(sender, connection, **kwargs):
    if _flush_as_owner not in connection.execute_wrappers:
        connection.execute_wrappers.append(_flush_as_owner)


def _flush_as_owner(execute, sql, params, many, context):
    """The flush truncates every table: the owner's privilege, and the owner too must first
    switch off the audit log's truncate trigger. Only the test runner ever flushes."""
    if not sql.startswith("TRUNCATE "):
        return execute(sql, params, many, context)
    service = context["connection"].settings_dict["OPTIONS"].get("assume_role")
    trigger = "audit_auditentry {} TRIGGER audit_entry_not_truncated"
    steps = ["RESET ROLE", "ALTER TABLE " + trigger.format("DISABLE"), sql]
    steps += ["ALTER TABLE " + trigger.format("ENABLE")]
    if service:
        steps.append(f'SET ROLE "{service}"')
    for step in steps:
        result = execute(step, None, False, context)
    return result


@pytest.fixture
def db(db, django_db_setup):
    """Database access, with the data the migrations made there even after a flush."""
    restore_migrated_data(django_db_setup)


@pytest.fixture(autouse=True)
def _migrated_data_everywhere(request):
    """Every test that uses the database goes through ``db`` above, however it asked for it.

    Transactional tests run last, but so does a test that reaches the database only through
    ``request.getfixturevalue`` (a persona chosen by a parameter): it must not find the role
    groups flushed away by the transactional tests before it.
    """
    if request.node.get_closest_marker("django_db") or {"transactional_db", "live_server"} & set(
        request.fixturenames
    ):
        request.getfixturevalue("db")


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
