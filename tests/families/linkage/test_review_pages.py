"""The data officer's linking pages: counts per partner system, the review queue in the
order of what a decision would change, the review page with each candidate side by side and
its waterfall, decisions with "review the next", and search to link by hand."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from families import models as fm
from tests.browser import assert_accessible, sign_in
from tests.factories import (
    CurrentEligibilityFactory,
    HouseholdFactory,
    LinkCandidateFactory,
    OffenceFactory,
    PersonFactory,
    SourcePersonFactory,
)

CONTRIBUTIONS = [
    {"field": "prior", "label": "Prior", "level": "Any two records", "match_weight": -14.2},
    {
        "field": "given_name",
        "label": "Given name",
        "source": "Bill",
        "person": "William",
        "level": "A usual short form (Bill for William)",
        "match_weight": 6.1,
    },
    {
        "field": "family_name",
        "label": "Family name",
        "source": "Notrealson",
        "person": "Notrealson",
        "level": "The same",
        "match_weight": 9.3,
    },
    {
        "field": "date_of_birth",
        "label": "Date of birth",
        "source": "1998-01-01",
        "person": "1998-01-01",
        "level": "The same",
        "match_weight": 8.0,
    },
    {
        "field": "postcode",
        "label": "Postcode",
        "source": "ZZ99 1AA",
        "person": "ZZ99 9ZZ",
        "level": "Different (moved, or a slip)",
        "match_weight": -2.4,
    },
]


def possible_match(*, household_ref: str, probability: float, source_person_id: str):
    """A police person who is probably the youngest of a family that is out of work and
    known to children's services: linking their offence would make the family eligible."""
    household = HouseholdFactory(ref=household_ref)
    CurrentEligibilityFactory(
        household=household, crime_asb=False, education=False, work=True, local_discretion=True
    )
    person = PersonFactory(household=household, given_name="William", family_name="Notrealson")
    candidate = LinkCandidateFactory(
        person=person,
        probability=probability,
        contributions=CONTRIBUTIONS,
        source_person__source_person_id=source_person_id,
        source_person__given_name="Bill",
    )
    OffenceFactory(person=None, source_person=candidate.source_person)
    return candidate.source_person, person


@pytest.fixture
def two_possible(db):
    first = possible_match(household_ref="H00001", probability=0.93, source_person_id="N1")
    second = possible_match(household_ref="H00002", probability=0.71, source_person_id="N2")
    return first, second


PAGES = ["families:linking_overview", "families:linking_queue"]


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize(
    "persona, status",
    [
        ("data_officer", 200),
        ("coordinator", 200),
        ("key_worker", 403),
        ("finance_officer", 403),
        ("auditor", 403),
        ("administrator", 403),
    ],
)
def test_only_data_officers_and_coordinators_reach_the_linking_pages(
    client, request, two_possible, name, persona, status
):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse(name)).status_code == status
    source_person = two_possible[0][0]
    page = client.get(reverse("families:source_person", args=[source_person.pk]))
    assert page.status_code == status


def test_the_overview_counts_each_partner_system_by_status_and_method(
    client, data_officer, two_possible
):
    SourcePersonFactory(
        source="county_police",
        status=fm.LinkStatus.LINKED,
        person=PersonFactory(),
        method=fm.LinkMethod.NINO,
    )
    client.force_login(data_officer)
    page = client.get(reverse("families:linking_overview")).content.decode()
    assert "county_police" in page
    assert '2<span class="govuk-visually-hidden"> possible matches from county_police' in page


def test_the_queue_says_what_a_link_would_change_and_puts_the_likelier_first(
    client, data_officer, two_possible, django_assert_max_num_queries
):
    client.force_login(data_officer)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("families:linking_queue")).content.decode()
    assert "ordered by what a decision would change" in page
    assert "Would make H00001 eligible" in page
    assert page.index("H00001") < page.index("H00002")
    entry = AuditEntry.objects.filter(summary="Viewed the linking review queue").get()
    assert entry.user == data_officer
    assert len(entry.details["source_persons"]) == 2


def test_the_review_page_shows_each_field_side_by_side_with_its_weight(
    client, data_officer, two_possible
):
    (source_person, person), _ = two_possible
    client.force_login(data_officer)
    page = client.get(reverse("families:source_person", args=[source_person.pk])).content.decode()
    assert "A usual short form (Bill for William)" in page
    assert "6.10" in page and "-2.40" in page
    # The waterfall: a bar per field and the prior, and the total.
    assert page.count('class="tfp-waterfall__bar') == len(CONTRIBUTIONS) + 1
    assert "Offences: 1" in page
    viewed = AuditEntry.objects.filter(object_id=str(source_person.pk), action="view").get()
    assert viewed.details["persons_shown"] == [person.ref]
    assert "William" not in viewed.summary


def test_linking_from_the_queue_counts_the_offence_and_moves_on_to_the_next(
    client, data_officer, two_possible, django_capture_on_commit_callbacks
):
    (first, person), (second, _) = two_possible
    client.force_login(data_officer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("families:source_person_decide", args=[first.pk]),
            {"decision": "link", "person": person.pk, "note": "Same school", "then": "next"},
        )
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("families:source_person", args=[second.pk]) + "?from=queue"
    )
    first.refresh_from_db()
    assert (first.status, first.person, first.method) == ("linked", person, "decision")
    assert fm.Offence.objects.get(source_person=first).person == person
    assert first.events.get().note == "Same school"


def test_no_match_leaves_it_unlinked_and_never_proposes_its_candidates_again(
    client, data_officer, two_possible
):
    (first, person), _ = two_possible
    client.force_login(data_officer)
    client.post(reverse("families:source_person_decide", args=[first.pk]), {"decision": "no_match"})
    first.refresh_from_db()
    assert first.status == "unlinked"
    assert fm.NoMatch.objects.filter(source_person=first, person=person).exists()
    assert fm.Offence.objects.get(source_person=first).person is None


def test_a_link_without_a_person_is_refused_in_govuk_words(client, data_officer, two_possible):
    (first, _), _ = two_possible
    client.force_login(data_officer)
    response = client.post(
        reverse("families:source_person_decide", args=[first.pk]), {"decision": "link"}
    )
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert "Select the person to link to" in response.content.decode()
    first.refresh_from_db()
    assert first.status == "possible"


def test_unlinking_a_link_stops_its_records_counting(client, data_officer, two_possible):
    (first, person), _ = two_possible
    client.force_login(data_officer)
    url = reverse("families:source_person_decide", args=[first.pk])
    client.post(url, {"decision": "link", "person": person.pk})
    page = client.get(reverse("families:source_person", args=[first.pk])).content.decode()
    assert "Not this person?" in page
    client.post(url, {"decision": "unlink", "note": "Family says not their son"})
    first.refresh_from_db()
    assert first.status == "unlinked"
    assert fm.Offence.objects.get(source_person=first).person is None
    assert [event.reason for event in first.events.order_by("at", "id")] == ["link", "unlink"]


def test_search_finds_someone_else_to_link_by_hand(client, data_officer, two_possible):
    (first, _), _ = two_possible
    other = PersonFactory(given_name="Billie", family_name="Madeupson", ref="P77777")
    client.force_login(data_officer)
    page = client.get(
        reverse("families:source_person", args=[first.pk]), {"q": "billie madeupson"}
    ).content.decode()
    assert "Billie Madeupson (P77777)" in page
    client.post(
        reverse("families:source_person_decide", args=[first.pk]),
        {"decision": "link", "person": other.pk},
    )
    first.refresh_from_db()
    assert first.person == other


@pytest.mark.browser
def test_a_data_officer_clears_the_review_queue_in_the_browser(
    page, live_server, data_officer, two_possible
):
    (first, _), (second, _) = two_possible
    sign_in(page, live_server, data_officer)
    page.get_by_role("link", name="Link partner records to people").click()
    assert_accessible(page)
    page.get_by_role("button", name="Review possible matches").click()
    assert_accessible(page)
    page.get_by_role("link", name=f"Review county_police {first.source_person_id}").click()
    assert_accessible(page)
    page.get_by_role("button", name="Link to this person and review the next").click()
    page.get_by_text("Linked to William Notrealson").wait_for()
    assert f"/linking/people/{second.pk}/" in page.url
    assert_accessible(page)
    page.get_by_role("button", name="No match and review the next").click()
    page.get_by_text("The review queue is empty").wait_for()
    assert_accessible(page)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == ("linked", "unlinked")


def test_the_family_page_says_how_each_partner_record_was_linked_and_offers_not_this_person(
    client, coordinator, two_possible
):
    (first, person), _ = two_possible
    first.status, first.person, first.method = "linked", person, fm.LinkMethod.NINO
    first.save()
    fm.Offence.objects.filter(source_person=first).update(person=person)
    client.force_login(coordinator)
    page = client.get(reverse("families:identification_family", args=["H00001"])).content.decode()
    assert "From county_police (their id N1): linked by National Insurance number." in page
    assert reverse("families:source_person", args=[first.pk]) + "#decisions" in page
