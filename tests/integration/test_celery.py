"""The real thing: a Celery worker and beat, started as the deployment starts them.

They run only when ``CELERY_BROKER_URL`` names a broker (the second ``.ci/run`` pass). The
database broker of DEBUG without one would sit in the development database, not this run's
test database, where the workers started here look (``tests/tfp/test_database_broker.py``
covers it).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django_celery_beat.models import PeriodicTask

from tfp.celery import app, ping

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(settings.DATABASE_BROKER, reason="needs a broker: set CELERY_BROKER_URL"),
]

STARTUP_SECONDS = 60


def database_url_of_this_run() -> str:
    """The URL of the database this test run uses, for processes started beside it: as the
    service's own role, like the workers in production."""
    db = connection.settings_dict
    role = settings.DATABASE_ROLES["service"]
    credentials = quote(role["USER"] or "", safe="")
    if role["PASSWORD"]:
        credentials += ":" + quote(role["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def celery(*args: str) -> Iterator[subprocess.Popen]:
    """Run ``celery -A tfp ARGS`` against this run's database; stop it afterwards."""
    env = {**os.environ, "DATABASE_URL": database_url_of_this_run()}
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "tfp", *args, "--loglevel=INFO"],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            output, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        print(output)  # shown by pytest only when the test fails


def test_a_task_goes_through_the_broker_to_a_worker_and_its_result_comes_back():
    # A queue of our own, so the worker takes nothing else and nothing else takes our task.
    queue = f"tfp-test-{uuid.uuid4().hex}"
    with celery("worker", "--pool=solo", "--without-gossip", "--without-mingle", "-Q", queue):
        result = ping.apply_async(queue=queue)

        assert result.get(timeout=STARTUP_SECONDS) == "pong"
        assert result.successful()


@pytest.mark.django_db(transaction=True)
def test_beat_puts_the_nightly_recalculation_in_the_database_schedule():
    with celery("beat", "--scheduler", "django_celery_beat.schedulers:DatabaseScheduler"):
        deadline = time.monotonic() + STARTUP_SECONDS
        while not PeriodicTask.objects.filter(name="nightly-recalculation").exists():
            assert time.monotonic() < deadline, "beat did not write its schedule in time"
            time.sleep(0.5)

    nightly = PeriodicTask.objects.select_related("crontab").get(name="nightly-recalculation")
    assert nightly.task == "families.tasks.nightly_recalculation"
    assert nightly.enabled
    assert (nightly.crontab.minute, nightly.crontab.hour) == ("0", "2")
    assert (
        nightly.crontab.day_of_week,
        nightly.crontab.day_of_month,
        nightly.crontab.month_of_year,
    ) == ("*", "*", "*")
    assert str(nightly.crontab.timezone) == "Europe/London"
    # and it names a task the workers know, not one they would reject as unregistered.
    app.loader.import_default_modules()
    assert nightly.task in app.tasks
