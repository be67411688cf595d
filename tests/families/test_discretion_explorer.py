"""The discretion explorer: each figure against families counted by hand, and applying a choice.

Seven families on 31 August 2013, the council using domestic abuse and mental health:

- H00001 meets all three national criteria: eligible whatever the choice;
- H00002 crime/ASB and work, domestic abuse open: eligible through domestic abuse alone;
- H00003 crime/ASB and work, domestic abuse and mental health open: eligible through either,
  so it leaves the list only when both are removed;
- H00004 education and work, substance misuse open (of the household): not eligible now;
- H00005 crime/ASB and work, substance misuse and police call-outs: not eligible now;
- H00006 work only, child in need open: one national criterion, no concern makes it eligible;
- H00007 crime/ASB and work, a child protection plan that ended before the day.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from families.identification import RUN_LOCK_KEY
from families.models import EligibilityRun, LocalDiscretionSettings
from families.selectors.discretion import Figure, explore, figure_families
from tests.factories import (
    AsbEventFactory,
    BenefitSpellFactory,
    ConcernFactory,
    ExclusionFactory,
    HouseholdFactory,
    PersonFactory,
)

AS_OF = date(2013, 8, 31)
IN_USE = ["domestic_abuse", "mental_health"]
EXPLORER = reverse("families:discretion_explorer")
FAMILIES = reverse("families:discretion_families")
APPLY = reverse("families:discretion_apply")


def family(ref: str, *, crime=False, education=False, work=False, concerns=(), ended=()):
    household = HouseholdFactory(ref=ref)
    adult = PersonFactory(household=household, date_of_birth=date(1980, 1, 1))
    if crime:
        AsbEventFactory(household=household, event_date=date(2013, 5, 1))
    if education:
        child = PersonFactory(household=household, date_of_birth=date(2003, 5, 1))
        ExclusionFactory(person=child, exclusion_type="permanent", start_date=date(2013, 2, 4))
    if work:
        BenefitSpellFactory(person=adult, start_date=date(2012, 1, 10))
    for concern in concerns:
        ConcernFactory(person=adult, household=None, concern=concern, start_date=date(2013, 1, 1))
    for concern in ended:
        ConcernFactory(
            household=household,
            concern=concern,
            start_date=date(2012, 1, 1),
            end_date=date(2013, 6, 30),
        )
    return household


@pytest.fixture
def families(db, settings):
    settings.SERVICE_DATE = AS_OF
    LocalDiscretionSettings.objects.create(concern_types=IN_USE)
    family("H00001", crime=True, education=True, work=True)
    family("H00002", crime=True, work=True, concerns=["domestic_abuse"])
    family("H00003", crime=True, work=True, concerns=["domestic_abuse", "mental_health"])
    substance = family("H00004", education=True, work=True)
    ConcernFactory(household=substance, concern="substance_misuse", start_date=date(2013, 3, 1))
    family("H00005", crime=True, work=True, concerns=["substance_misuse", "police_callouts"])
    family("H00006", work=True, concerns=["child_in_need"])
    family("H00007", crime=True, work=True, ended=["child_protection_plan"])


def figures(draft=IN_USE):
    exploration = explore(as_of=AS_OF, current=IN_USE, draft=draft)
    return exploration, {row.concern_type: (row.adds, row.drops) for row in exploration.types}


def refs(figure, **kwargs) -> list[str]:
    total, found = figure_families(
        as_of=AS_OF, figure=figure, current=IN_USE, limit=50, offset=0, **kwargs
    )
    assert total == len(found)
    return [f.ref for f in found]


def test_each_concern_type_adds_and_drops_the_families_counted_by_hand(families):
    exploration, by_type = figures()
    assert by_type == {
        # Ended before the day: adds nobody.
        "child_protection_plan": (0, 0),
        # Open only where a single national criterion is met: adds nobody.
        "child_in_need": (0, 0),
        # H00003 has mental health too, so removing domestic abuse drops only H00002.
        "domestic_abuse": (0, 1),
        "substance_misuse": (2, 0),
        # In use, but every family it makes eligible has domestic abuse as well.
        "mental_health": (0, 0),
        "police_callouts": (1, 0),
        "other": (0, 0),
    }
    assert exploration.eligible_now == 3
    assert [row.chosen for row in exploration.types] == [
        False,
        False,
        True,
        False,
        True,
        False,
        False,
    ]


def test_the_families_behind_each_type_figure(families):
    assert refs(Figure.ADDS, concern_type="substance_misuse") == ["H00004", "H00005"]
    assert refs(Figure.ADDS, concern_type="police_callouts") == ["H00005"]
    assert refs(Figure.DROPS, concern_type="domestic_abuse") == ["H00002"]
    assert refs(Figure.DROPS, concern_type="mental_health") == []
    assert refs(Figure.ELIGIBLE_NOW) == ["H00001", "H00002", "H00003"]


def test_types_ticked_together_count_a_family_once(families):
    """Substance misuse adds two and police call-outs one, but together they add two: H00005
    has both."""
    exploration, _ = figures(draft=[*IN_USE, "substance_misuse", "police_callouts"])
    assert (exploration.eligible, exploration.added, exploration.dropped) == (5, 2, 0)


def test_a_family_with_two_types_in_use_leaves_only_when_both_are_removed(families):
    without_domestic_abuse, _ = figures(draft=["mental_health"])
    assert (without_domestic_abuse.eligible, without_domestic_abuse.dropped) == (2, 1)
    neither, _ = figures(draft=[])
    assert (neither.eligible, neither.added, neither.dropped) == (1, 0, 2)
    assert refs(Figure.DROPPED, draft=[]) == ["H00002", "H00003"]
    assert refs(Figure.ELIGIBLE, draft=[]) == ["H00001"]


def test_swapping_every_type_adds_and_drops_at_once(families):
    exploration, _ = figures(draft=["substance_misuse", "police_callouts"])
    assert (exploration.eligible, exploration.added, exploration.dropped) == (3, 2, 2)
    assert refs(Figure.ADDED, draft=["substance_misuse", "police_callouts"]) == [
        "H00004",
        "H00005",
    ]


# --- The pages ---------------------------------------------------------------------------


def test_the_explorer_shows_the_ticked_selection_in_ten_queries_or_fewer(
    client, coordinator, families, django_assert_max_num_queries
):
    client.force_login(coordinator)
    with django_assert_max_num_queries(10):
        response = client.get(EXPLORER, {"draft": "1", "types": [*IN_USE, "substance_misuse"]})
    assert response.status_code == 200
    exploration = response.context["exploration"]
    assert (exploration.eligible_now, exploration.eligible, exploration.added) == (3, 5, 2)
    page = response.content.decode()
    assert "Substance misuse" in page and "substance_misuse" not in page.split("<form")[0]
    # The families behind the figure are one click away.
    added = response.context["links"]["added"]
    assert f'href="{added.replace("&", "&amp;")}"' in page
    listed = client.get(added)
    assert [f.ref for f in listed.context["page"].object_list] == ["H00004", "H00005"]


def test_with_nothing_ticked_yet_the_selection_is_the_one_in_use(client, coordinator, families):
    client.force_login(coordinator)
    response = client.get(EXPLORER)
    assert response.context["exploration"].draft == tuple(IN_USE)
    assert not response.context["changed"]
    assert "Apply and recalculate" not in response.content.decode()
    # Unticking everything is a selection too.
    emptied = client.get(EXPLORER, {"draft": "1"})
    assert emptied.context["exploration"].draft == ()
    assert "Apply and recalculate" in emptied.content.decode()


def test_a_families_list_names_families_so_reading_it_is_audited(client, coordinator, families):
    client.force_login(coordinator)
    response = client.get(FAMILIES, {"figure": "drops", "type": "domestic_abuse"})
    assert response.status_code == 200
    assert "Families removing domestic abuse would drop" in response.content.decode()
    entry = AuditEntry.objects.get(action=AuditEntry.Action.VIEW, user=coordinator)
    assert entry.details["figure"] == "drops"


@pytest.mark.parametrize(
    "query", [{"figure": "astrology"}, {"figure": "adds"}, {"figure": "adds", "type": "tarot"}]
)
def test_an_unknown_figure_or_type_is_not_found(client, coordinator, families, query):
    client.force_login(coordinator)
    assert client.get(FAMILIES, query).status_code == 404


def test_apply_changes_the_setting_with_its_reason_and_recalculates(
    client, coordinator, families, django_capture_on_commit_callbacks
):
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            APPLY,
            {"types": ["substance_misuse", "domestic_abuse"], "reason": "Programme board, May"},
        )
    assert LocalDiscretionSettings.current().concern_types == ["domestic_abuse", "substance_misuse"]
    change = AuditEntry.objects.get(action=AuditEntry.Action.CHANGE, user=coordinator)
    assert change.details == {
        "before": IN_USE,
        "after": ["domestic_abuse", "substance_misuse"],
        "reason": "Programme board, May",
    }
    run = EligibilityRun.objects.get()
    assert (run.as_of, run.started_by, run.status) == (
        AS_OF,
        coordinator,
        EligibilityRun.Status.SUCCEEDED,
    )
    # H00001; H00002 (domestic abuse); H00003 (still domestic abuse); H00004 and H00005.
    assert run.households_eligible == 5
    progress = client.get(response["Location"])
    assert progress["Location"] == reverse("families:run_detail", args=[run.pk])


def test_apply_needs_a_reason(client, coordinator, families):
    client.force_login(coordinator)
    response = client.post(APPLY, {"types": ["other"], "reason": "  "})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter the reason for the change" in page and "govuk-error-summary" in page
    # The selection tried stays on the page.
    assert response.context["exploration"].draft == ("other",)
    assert LocalDiscretionSettings.current().concern_types == IN_USE
    assert not EligibilityRun.objects.exists()


def test_apply_refuses_the_types_in_use(client, coordinator, families):
    client.force_login(coordinator)
    response = client.post(APPLY, {"types": IN_USE, "reason": "No change really"})
    assert "These are the concern types in use already" in response.content.decode()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.CHANGE).exists()


def test_apply_while_a_recalculation_runs_changes_nothing(
    client, coordinator, families, django_capture_on_commit_callbacks
):
    from django.db import connection

    client.force_login(coordinator)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [RUN_LOCK_KEY])
    try:
        with django_capture_on_commit_callbacks(execute=True) as queued:
            response = client.post(APPLY, {"types": ["other"], "reason": "Board"})
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [RUN_LOCK_KEY])
    assert "Another eligibility recalculation is running" in response.content.decode()
    assert queued == []
    assert LocalDiscretionSettings.current().concern_types == IN_USE


@pytest.mark.browser
def test_coordinator_tries_a_selection_sees_its_families_and_applies_it(
    page, live_server, coordinator, families
):
    from playwright.sync_api import expect

    from tests.browser import assert_accessible, sign_in

    sign_in(page, live_server, coordinator)
    page.get_by_role("link", name="Local discretion: explore and choose concern types").click()
    expect(page.get_by_role("heading", name="Local discretion", exact=True)).to_be_visible()
    expect(page.locator("#discretion-eligible")).to_contain_text("3 families")
    assert_accessible(page)

    page.get_by_label("Substance misuse").check()
    page.get_by_label("Domestic abuse").uncheck()
    # The figures follow the ticks at once (the script), and the button gives the same page.
    expect(page.locator("#discretion-eligible")).to_contain_text("4 families")
    expect(page.get_by_role("status")).to_contain_text("4 families eligible")
    page.get_by_role("button", name="Show the effect").click()
    expect(page.locator("#discretion-eligible")).to_contain_text("4 families")
    expect(page.locator("#discretion-added")).to_contain_text("2 families")
    expect(page.locator("#discretion-dropped")).to_contain_text("1 family")
    assert_accessible(page)

    page.locator("#discretion-dropped").get_by_role("link").click()
    expect(
        page.get_by_role("heading", name="Families the concern types ticked would drop")
    ).to_be_visible()
    expect(page.get_by_role("link", name="H00002")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Back to local discretion").click()
    expect(page.get_by_label("Substance misuse")).to_be_checked()
    page.get_by_role("button", name="Apply and recalculate").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reason for the change")
    assert_accessible(page)

    page.get_by_label("Why are the concern types changing?").fill("Agreed at the programme board")
    page.get_by_role("button", name="Apply and recalculate").click()
    expect(page.get_by_role("heading", name=re.compile(r"Run \d+"))).to_be_visible()
    assert_accessible(page)
    assert LocalDiscretionSettings.current().concern_types == ["substance_misuse", "mental_health"]
