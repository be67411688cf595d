import csv
import io
from datetime import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import audit_record


@pytest.fixture
def log(key_worker, other_key_worker):
    audit_record(action="view", user=key_worker, family_ref="H00001", summary="Viewed H00001")
    audit_record(action="denied", user=other_key_worker, family_ref="H00001", summary="Refused")
    audit_record(action="change", user=key_worker, family_ref="H00002", summary="Changed H00002")


def _summaries(response) -> list[str]:
    return [entry.summary for entry in response.context["page"].object_list]


@pytest.mark.parametrize("persona", ["auditor", "coordinator"])
def test_auditors_and_coordinators_read_the_audit_log(client, request, log, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("audit:log"))
    assert response.status_code == 200
    assert {"Viewed H00001", "Refused", "Changed H00002"} <= set(_summaries(response))


@pytest.mark.parametrize(
    "persona", ["key_worker", "finance_officer", "data_officer", "administrator"]
)
def test_nobody_else_reads_the_audit_log(client, request, log, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("audit:log")).status_code == 403
    assert client.get(reverse("audit:export")).status_code == 403


def test_the_log_filters_by_user_family_and_action(client, auditor, key_worker, log):
    client.force_login(auditor)
    by_user = client.get(reverse("audit:log"), {"user": key_worker.pk})
    assert set(_summaries(by_user)) == {"Viewed H00001", "Changed H00002"}
    by_family = client.get(reverse("audit:log"), {"family": "H00001"})
    assert set(_summaries(by_family)) == {"Viewed H00001", "Refused"}
    by_action = client.get(reverse("audit:log"), {"action": "denied"})
    assert _summaries(by_action) == ["Refused"]


def test_the_log_filters_by_day_in_london_time(client, auditor, key_worker):
    # 00:30 on 2 July in London is 23:30 on 1 July in UTC: it belongs to 2 July.
    with time_machine.travel(timezone.make_aware(datetime(2014, 7, 2, 0, 30)), tick=False):
        audit_record(action="view", user=key_worker, summary="just after midnight")
    client.force_login(auditor)

    def on(day: str) -> list[str]:
        d, m, y = day.split("/")
        query = {"date_from_0": d, "date_from_1": m, "date_from_2": y}
        query |= {"date_to_0": d, "date_to_1": m, "date_to_2": y}
        return _summaries(client.get(reverse("audit:log"), query))

    assert "just after midnight" in on("2/7/2014")
    assert "just after midnight" not in on("1/7/2014")


def test_reading_the_log_is_itself_recorded(client, auditor, log):
    client.force_login(auditor)
    client.get(reverse("audit:log"), {"family": "H00001"})
    entry = AuditEntry.objects.filter(user=auditor, action="view").get()
    assert entry.details["filters"] == {"family": "H00001"}


def test_the_log_is_paginated_in_a_fixed_number_of_queries(
    client, auditor, key_worker, django_assert_max_num_queries
):
    AuditEntry.objects.bulk_create(
        AuditEntry(action="view", user=key_worker, username="kim", summary=f"Entry {n}")
        for n in range(120)
    )
    client.force_login(auditor)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("audit:log"), {"page": 2})
    assert response.context["page"].number == 2
    assert len(response.context["page"].object_list) == 50


def test_an_export_is_recorded_and_neutralises_formulas(client, coordinator, key_worker):
    audit_record(action="view", user=key_worker, family_ref="H00001", summary="=HYPERLINK(1)")
    client.force_login(coordinator)
    response = client.get(reverse("audit:export"), {"family": "H00001"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["summary"] for row in rows] == ["'=HYPERLINK(1)"]
    assert [row["action"] for row in rows] == ["Viewed"]
    assert AuditEntry.objects.filter(user=coordinator, action="export").exists()


def test_reading_the_log_does_not_fill_the_log_unless_asked(client, auditor, coordinator, log):
    client.force_login(coordinator)
    for _ in range(3):
        client.get(reverse("audit:log"))
    client.force_login(auditor)

    by_default = client.get(reverse("audit:log"))
    asked = client.get(reverse("audit:log"), {"log_reads": "shown"})

    assert set(_summaries(by_default)) == {"Viewed H00001", "Refused", "Changed H00002"}
    assert _summaries(asked).count("Viewed the audit log") == 5
