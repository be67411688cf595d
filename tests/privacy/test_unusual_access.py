"""The unusual-access report: each figure, from a week of real page requests, against the
entries counted by hand.

The week is Monday 30 June to Sunday 6 July 2014; working hours 08:00 to 18:00.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from accounts.services import user_roles_set
from privacy.unusual_access import Figure, figure_entries, week_summary
from tests.factories import CaseFileFactory, UserFactory

WEEK = date(2014, 6, 30)
REPORT = reverse("privacy:unusual_access")
ENTRIES = reverse("privacy:unusual_access_entries")


def at(day: int, hour: int, minute: int = 0, month: int = 7):
    return time_machine.travel(
        timezone.make_aware(datetime(2014, month, day, hour, minute)), tick=False
    )


def case_file_url(ref: str) -> str:
    return reverse("casework:case_file", args=[ref])


@pytest.fixture
def week(client, settings, case_file, key_worker, other_key_worker, coordinator, administrator):
    """Kim (key worker of H10001), Otto (key worker of three families), Carol (coordinator),
    and Adam (administrator), who makes someone a key worker and a finance officer."""
    settings.UNUSUAL_ACCESS_MIN_FAMILIES = 3
    others = [CaseFileFactory(key_worker=other_key_worker).household.ref for _ in range(3)]
    strangers = [CaseFileFactory().household.ref for _ in range(3)]

    def as_(user, *moment):
        """Signed in at that moment: sessions end after half an hour without a request."""
        travel = at(*moment)
        travel.start()
        client.force_login(user)
        return travel

    travel = as_(key_worker, 1, 10)  # Tuesday, working hours: her own family, two refusals.
    assert client.get(case_file_url("H10001")).status_code == 200
    assert client.get(case_file_url(others[0])).status_code == 404
    assert client.get(case_file_url(others[1])).status_code == 404
    travel.stop()
    # Saturday; Wednesday evening; Thursday a minute early and on the hour; the next Monday.
    for moment in ((5, 11), (2, 19, 30), (3, 7, 59), (3, 8, 0), (7, 9)):
        travel = as_(key_worker, *moment)
        assert client.get(case_file_url("H10001")).status_code == 200
        travel.stop()

    travel = as_(other_key_worker, 1, 14)
    for ref in others:
        client.get(case_file_url(ref))
    # ... and breaks glass for a family that is not his, then reads it once.
    breaking = {"family": strangers[0], "reason": "duty_cover", "details": "Covering Kim."}
    assert client.post(reverse("casework:break_glass_new"), breaking).status_code == 302
    client.get(case_file_url(strangers[0]))
    travel.stop()

    travel = as_(coordinator, 2, 9)
    # Three families, none hers: more than her caseload (none) and the minimum.
    for ref in strangers:
        client.get(case_file_url(ref))
        client.get(case_file_url(ref))
    assert client.get(reverse("families:identification_export")).status_code == 200
    travel.stop()
    travel = as_(administrator, 4, 12)
    newcomer = UserFactory(username="newcomer")
    user_roles_set(
        user=newcomer, roles={Role.KEY_WORKER, Role.FINANCE_OFFICER}, changed_by=administrator
    )
    travel.stop()
    travel = as_(coordinator, 6, 23, 50)  # Sunday night, still the week
    assert client.get(reverse("families:identification_export")).status_code == 200
    travel.stop()
    return {
        "kim": key_worker,
        "otto": other_key_worker,
        "carol": coordinator,
        "adam": administrator,
        "strangers": strangers,
    }


def figures(people) -> dict[str, tuple]:
    return {
        p.username: (p.caseload, p.families_read, p.beyond_caseload, p.reads_unusually)
        for p in people
    }


def test_case_files_read_beyond_the_caseload(week):
    people = week_summary(WEEK)
    found = figures(people)
    # Kim read her own family only; Otto his three; Carol three she holds no case of.
    assert found["kim"] == (1, 1, 0, False)
    # Otto's emergency access is a read beyond his caseload, but one is not more than his three.
    assert found["otto"] == (3, 4, 1, False)
    assert found["carol"] == (0, 3, 3, True)


def test_fewer_families_than_the_minimum_are_not_listed(week, settings):
    settings.UNUSUAL_ACCESS_MIN_FAMILIES = 4
    assert not any(p.reads_unusually for p in week_summary(WEEK))


def test_refused_attempts_by_person(week):
    refused = {p.username: p.refused for p in week_summary(WEEK)}
    assert refused == {"kim": 2, "otto": 0, "carol": 0, "adam": 0}
    total, entries = figure_entries(
        week=WEEK, figure=Figure.REFUSED, user_id=week["kim"].pk, limit=50, offset=0
    )
    assert total == 2 and {e.action for e in entries} == {"denied"}


def test_exports_and_downloads_by_person(week):
    exports = {p.username: p.exports for p in week_summary(WEEK)}
    # The Sunday-night export is still in the week (it ends at Monday 00:00, London time).
    assert exports == {"kim": 0, "otto": 0, "carol": 2, "adam": 0}


def test_reads_outside_working_hours(week):
    outside = {p.username: p.out_of_hours for p in week_summary(WEEK)}
    # Saturday, Wednesday 19:30 and Thursday 07:59; not Thursday 08:00, nor next Monday;
    # Carol's Sunday-night export read no family.
    assert outside == {"kim": 3, "otto": 0, "carol": 0, "adam": 0}
    _, entries = figure_entries(
        week=WEEK, figure=Figure.OUT_OF_HOURS, user_id=week["kim"].pk, limit=50, offset=0
    )
    assert [timezone.localtime(e.at).strftime("%a %H:%M") for e in entries] == [
        "Wed 19:30",
        "Thu 07:59",
        "Sat 11:00",
    ]


def test_uses_of_emergency_access_by_person(week):
    uses = {p.username: p.break_glass for p in week_summary(WEEK)}
    assert uses == {"kim": 0, "otto": 1, "carol": 0, "adam": 0}
    _, entries = figure_entries(
        week=WEEK, figure=Figure.BREAK_GLASS, user_id=week["otto"].pk, limit=50, offset=0
    )
    assert [e.family_ref for e in entries] == [week["strangers"][0]]


def test_grants_of_roles_that_see_case_files_by_the_person_who_granted_them(week):
    grants = {p.username: p.case_file_grants for p in week_summary(WEEK)}
    # The key worker role sees case files; the finance officer role does not.
    assert grants["adam"] == 1 and grants["carol"] == 0
    _, entries = figure_entries(
        week=WEEK, figure=Figure.CASE_FILE_GRANTS, user_id=week["adam"].pk, limit=50, offset=0
    )
    assert [e.summary for e in entries] == ["Granted the key worker role to newcomer"]


def test_the_report_page_lists_each_figure_in_ten_queries_or_fewer(
    client, week, auditor, django_assert_max_num_queries
):
    client.force_login(auditor)
    with django_assert_max_num_queries(10):
        response = client.get(REPORT, {"week": "2014-07-02"})
    assert response.status_code == 200
    listed = {
        f["figure"]: [(r["person"].username, r["count"]) for r in f["people"]]
        for f in response.context["figures"]
    }
    assert listed == {
        Figure.BEYOND_CASELOAD: [("carol", 3)],
        Figure.REFUSED: [("kim", 2)],
        Figure.EXPORTS: [("carol", 2)],
        Figure.OUT_OF_HOURS: [("kim", 3)],
        Figure.BREAK_GLASS: [("otto", 1)],
        Figure.CASE_FILE_GRANTS: [("adam", 1)],
    }
    # Each figure leads to its entries.
    href = response.context["figures"][0]["people"][0]["href"]
    with django_assert_max_num_queries(10):
        entries = client.get(href)
    # Carol read each of the three case files twice.
    assert entries.context["page"].paginator.count == 6


def test_the_weekly_report_downloads_as_csv(client, week, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("privacy:unusual_access_export"), {"week": "2014-06-30"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    kim = next(row for row in rows if row["username"] == "kim")
    assert (kim["refused attempts"], kim["reads outside working hours"]) == ("2", "3")


def test_an_unknown_figure_or_person_is_not_found(client, coordinator):
    client.force_login(coordinator)
    assert client.get(ENTRIES, {"figure": "astrology", "user": coordinator.pk}).status_code == 404
    assert client.get(ENTRIES, {"figure": "refused", "user": "nobody"}).status_code == 404


def test_a_week_with_nothing_unusual_says_so(client, coordinator):
    UserFactory(username="quiet")
    client.force_login(coordinator)
    response = client.get(REPORT, {"week": "2014-06-30"})
    assert response.content.decode().count("Nobody this week.") == len(Figure)
