"""Results on the case-file timeline: outcomes registers them in its ``ready`` (casework knows
nothing of results), and the timeline's "Results" filter shows them."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from outcomes.services import results_run
from tests.claims.conftest import asb_family

pytestmark = pytest.mark.django_db


def test_a_result_a_run_finds_is_on_the_familys_timeline_under_results(client, coordinator):
    case_file = asb_family("H10001")
    results_run(date(2014, 10, 15))
    client.force_login(coordinator)
    timeline = reverse("casework:case_timeline", args=["H10001"])

    results = client.get(timeline, {"show": "result"}).context["entries"]

    assert [(e.kind, e.title) for e in results] == [
        ("result", "Result achieved: Crime, ASB and education")
    ]
    assert results[0].on == case_file.family_results.get(state="achieved").run.as_of
    everything = client.get(timeline).context["entries"]
    assert "Result achieved: Crime, ASB and education" in [e.title for e in everything]
    only_notes = client.get(timeline, {"show": "note"}).context["entries"]
    assert all(e.kind == "note" for e in only_notes)


def test_a_family_without_results_has_none_on_its_timeline(client, coordinator):
    asb_family("H10001")
    client.force_login(coordinator)
    response = client.get(reverse("casework:case_timeline", args=["H10001"]), {"show": "result"})
    assert response.context["entries"] == []
