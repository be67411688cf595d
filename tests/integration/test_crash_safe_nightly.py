"""Crash-safe nightly work: a real Celery worker is killed (SIGKILL) in the middle of the
nightly recalculation. The previous run stays current, and once a worker is back the task
(acknowledged late, so still on the broker) runs again and gives exactly what an
uninterrupted run gives.

"The middle" is made certain without any hook in the service: the test holds a lock on the
current-picture table, so the worker's run stops after writing its results, on the statement
that would replace the current picture, and waits there until it is killed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
import redis
from celery import Celery
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from families.identification import current_run, recalculate_all
from families.models import EligibilityRun
from tests.factories import BenefitSpellFactory, ExclusionFactory, HouseholdFactory, PersonFactory
from tests.integration.test_celery import database_url_of_this_run

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(settings.DATABASE_BROKER, reason="needs a broker: set CELERY_BROKER_URL"),
]

NIGHTLY = "families.tasks.nightly_recalculation"
WAIT_SECONDS = 90
# A Redis database of its own, so the test's messages meet no other worker and leave nothing
# behind on the broker the rest of the suite uses.
BROKER_DB = 13
# A killed worker's task is handed out again after this many seconds (production: an hour).
VISIBILITY_TIMEOUT = 3


def dedicated_broker() -> str:
    parts = urlsplit(settings.CELERY_BROKER_URL)
    return urlunsplit(parts._replace(path=f"/{BROKER_DB}"))


@contextmanager
def worker() -> Iterator[subprocess.Popen]:
    """A worker as deployed (acks late, one task at a time), on this run's database."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url_of_this_run(),
        "CELERY_BROKER_URL": dedicated_broker(),
        "CELERY_RESULT_BACKEND": dedicated_broker(),
        "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY_TIMEOUT),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "tfp",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
        try:
            output, _ = process.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        print(output)  # shown by pytest only when the test fails


def wait_for(what: str, check):
    deadline = time.monotonic() + WAIT_SECONDS
    while not (found := check()):
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        time.sleep(0.2)
    return found


def query(sql: str, params=None) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def picture(run_id: int, previous_id: int) -> dict[str, list[tuple]]:
    """What a run leaves behind, with its own id replaced so two runs can be compared."""

    def named(run: int | None) -> str:
        return {run_id: "this run", previous_id: "previous run"}.get(run, str(run))

    current = [
        row[:-2] + (named(row[-2]), named(row[-1]))
        for row in query(
            "SELECT household_id, as_of, crime_asb, education, work, local_discretion, "
            "criteria_met, eligible, reasons, eligible_since, member_names, postcodes, "
            "run_id, changed_in_run_id FROM families_currenteligibility ORDER BY household_id"
        )
    ]
    results = query(
        "SELECT household_id, crime_asb, education, work, local_discretion, eligible, reasons "
        "FROM families_eligibilityresult WHERE run_id = %s ORDER BY household_id",
        [run_id],
    )
    changes = query(
        "SELECT household_id, change, before, after FROM families_eligibilitychange "
        "WHERE run_id = %s ORDER BY household_id",
        [run_id],
    )
    return {"current": current, "results": results, "changes": changes}


class RolledBack(Exception):
    pass


def uninterrupted(as_of: date, previous_id: int) -> dict[str, list[tuple]]:
    """What a run on ``as_of`` gives when nothing stops it (then undone)."""
    try:
        with transaction.atomic():
            run = recalculate_all(as_of=as_of, trigger="nightly")
            found = picture(run.pk, previous_id)
            raise RolledBack
    except RolledBack:
        return found


def population(today: date) -> None:
    """Families meeting criteria; one of them meets a new one from today, so today's run
    changes something the previous one found."""
    for number in range(30):
        household = HouseholdFactory(ref=f"H{number + 50000}")
        parent = PersonFactory(household=household, date_of_birth=date(1980, 1, 1))
        child = PersonFactory(household=household, date_of_birth=today - timedelta(days=365 * 12))
        # Every fifth parent's benefit starts today: the work criterion is new today.
        started = today if number % 5 == 0 else today - timedelta(days=400)
        BenefitSpellFactory(person=parent, start_date=started)
        if number % 2:
            for weeks in (2, 6, 10):
                ExclusionFactory(person=child, start_date=today - timedelta(weeks=weeks))


@contextmanager
def current_picture_locked() -> Iterator[None]:
    """Hold a lock that lets a run write its results but not replace the current picture."""
    with psycopg.connect(database_url_of_this_run()) as blocker:
        blocker.execute("LOCK TABLE families_currenteligibility IN SHARE MODE")
        yield
        blocker.rollback()


@pytest.fixture
def broker(monkeypatch) -> Iterator[Celery]:
    url = dedicated_broker()
    # Celery prefers CELERY_BROKER_URL from the environment to any broker it is given.
    monkeypatch.setenv("CELERY_BROKER_URL", url)
    client = redis.Redis.from_url(url)
    client.flushdb()
    app = Celery("crash-test", broker=url)
    yield app
    client.flushdb()


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_recalculation_leaves_the_previous_run_current_and_the_retry_matches(
    broker,
):
    today = timezone.localdate()
    population(today)
    previous = recalculate_all(as_of=today - timedelta(days=1), trigger="nightly")
    before = picture(previous.pk, previous.pk)
    expected = uninterrupted(today, previous.pk)
    assert expected["changes"], "today's run must change something for the test to mean much"

    with current_picture_locked(), worker() as doomed:
        broker.send_task(NIGHTLY)
        [(stuck,)] = wait_for(
            "the run to reach the current picture",
            lambda: query(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND query LIKE %s",
                ["%INSERT INTO families_currenteligibility%"],
            ),
        )
        interrupted = EligibilityRun.objects.get(as_of=today)
        assert interrupted.status == EligibilityRun.Status.RUNNING
        assert query(
            "SELECT count(*) FROM pg_locks WHERE pid = %s AND locktype = 'advisory'", [stuck]
        ) == [(1,)]

        doomed.send_signal(signal.SIGKILL)
        doomed.wait(timeout=30)
    # With the lock gone the orphaned statement finishes, finds nobody to answer, and the
    # server rolls its transaction back (releasing the run's advisory lock with it).
    wait_for(
        "the killed worker's transaction to end",
        lambda: not query("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [stuck]),
    )

    assert current_run() == previous
    assert picture(previous.pk, previous.pk) == before
    assert not query("SELECT 1 FROM families_eligibilityresult WHERE run_id = %s", [interrupted.pk])

    # Nothing is sent again: the message the killed worker never acknowledged goes back on
    # the queue when a worker starts after its visibility timeout.
    time.sleep(VISIBILITY_TIMEOUT + 1)
    with worker():
        rerun = wait_for(
            "the task to run again on the new worker",
            lambda: EligibilityRun.objects.filter(
                as_of=today, status=EligibilityRun.Status.SUCCEEDED
            ).first(),
        )
        assert current_run() == rerun
        assert picture(rerun.pk, previous.pk) == expected
    interrupted.refresh_from_db()
    assert interrupted.status == EligibilityRun.Status.FAILED
