"""The service's day comes from one function, pinned by SERVICE_DATE for training."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

from django.urls import reverse

from tfp import clock


def test_unpinned_service_day_is_the_real_date_in_london(settings, time_machine):
    settings.SERVICE_DATE = None
    # 23:30 UTC on 30 June is already 1 July in London (British Summer Time).
    time_machine.move_to("2014-06-30 23:30:00+00:00")
    assert clock.today() == date(2014, 7, 1)
    assert not clock.is_pinned()


def test_pinned_service_day_ignores_the_real_date(settings, time_machine):
    time_machine.move_to("2026-12-01 12:00:00+00:00")
    settings.SERVICE_DATE = date(2014, 10, 31)
    assert clock.today() == date(2014, 10, 31)
    assert clock.is_pinned()


def test_pinned_service_day_shows_the_training_banner(client, coordinator, settings):
    settings.SERVICE_DATE = date(2014, 10, 31)
    client.force_login(coordinator)
    page = client.get(reverse("accounts:start")).content.decode()
    assert "Training environment: the service date is 31 October 2014" in page


def test_no_banner_when_the_service_day_is_real(client, coordinator, settings):
    settings.SERVICE_DATE = None
    client.force_login(coordinator)
    page = client.get(reverse("accounts:start")).content.decode()
    assert "Training environment" not in page


def test_a_service_date_that_is_not_a_date_stops_start_up():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={
            "DJANGO_SETTINGS_MODULE": "tfp.settings",
            "DEBUG": "true",
            "SERVICE_DATE": "31/10/2014",
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused",
            "PATH": "/usr/bin:/bin",
        },
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "SERVICE_DATE must be a date written YYYY-MM-DD" in result.stderr
