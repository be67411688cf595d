"""Subject access: everything held on a person in one downloadable file, with the entries
that also concern others, or are sensitive, flagged for review before release."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from casework.models import Consent
from privacy.subject_access import (
    HOUSEHOLD_RECORD,
    NOT_ABOUT_SUBJECT,
    OTHERS_PRESENT,
    OTHERS_SEEN,
    SENSITIVE,
    subject_access_for,
)
from tests.factories import (
    AsbEventFactory,
    AttendanceFactory,
    BenefitSpellFactory,
    CaseNoteFactory,
    ClaimFactory,
    ConcernFactory,
    FamilyResultFactory,
    HouseholdFactory,
    OffenceFactory,
    SourcePersonFactory,
)


@pytest.fixture
def mia(members):
    return members["Mia"]


def notes_by_text(export) -> dict[str, dict]:
    return {row["text"]: row for row in export.data["case_notes"]}


def test_the_file_holds_the_person_their_families_and_their_partner_records(
    case_file, mia, members
):
    BenefitSpellFactory(person=mia, benefit="ESA")
    OffenceFactory(person=mia, source_ref="POLICE-9", outcome_type="caution")
    AttendanceFactory(person=members["Ava"])

    export = subject_access_for(mia)

    assert export.data["person"]["ref"] == mia.ref
    assert export.data["person"]["given_name"] == "Mia"
    assert export.data["households"] == [{"family": "H10001", "from": None, "until": None}]
    partner = export.data["partner_records"]
    assert [b["benefit"] for b in partner["out_of_work_benefits"]] == ["ESA"]
    assert [(o["source_ref"], o["outcome_type"]) for o in partner["offences"]] == [
        ("POLICE-9", "caution")
    ]
    assert partner["out_of_work_benefits"][0]["source"]["file"] == "people.csv"
    # Another member's school records are theirs, not Mia's.
    assert partner["school_attendance"] == []


def test_the_file_holds_how_partners_named_the_person_in_files_linked_to_them(case_file, mia):
    SourcePersonFactory(
        source="county_police",
        source_person_id="NOMINAL-7",
        given_name="Mya",
        status="linked",
        person=mia,
        method="probabilistic",
    )
    SourcePersonFactory(source="county_police", source_person_id="NOMINAL-8")

    export = subject_access_for(mia)

    (identity,) = export.data["partner_identities"]
    assert (identity["source"], identity["source_person_id"], identity["given_name"]) == (
        "county_police",
        "NOMINAL-7",
        "Mya",
    )


def test_household_records_are_included_while_the_person_belonged_and_flagged(case_file, mia):
    mia.memberships.update(valid_from=date(2012, 1, 1))
    AsbEventFactory(household=case_file.household, event_date=date(2013, 5, 1))
    AsbEventFactory(household=case_file.household, event_date=date(2011, 5, 1))
    ConcernFactory(household=case_file.household, person=None, start_date=date(2013, 6, 1))

    export = subject_access_for(mia)

    asb = export.data["partner_records"]["anti_social_behaviour"]
    assert [(e["event_date"], e["about"]) for e in asb] == [(date(2013, 5, 1), "household H10001")]
    assert len(export.data["partner_records"]["concerns"]) == 1
    assert [item["why"] for item in export.review] == [[HOUSEHOLD_RECORD], [HOUSEHOLD_RECORD]]


def test_case_notes_about_the_person_are_included_and_those_touching_others_are_flagged(
    case_file, mia, members
):
    only_mia = CaseNoteFactory(case_file=case_file, text="Mia on her own.")
    only_mia.people_seen.add(mia)
    with_sam = CaseNoteFactory(case_file=case_file, text="Mia and Sam.", others_seen="A neighbour")
    with_sam.people_seen.add(mia, members["Sam"])
    disclosure = CaseNoteFactory(case_file=case_file, text="Disclosure.", is_sensitive=True)
    disclosure.people_seen.add(mia)
    about_leo = CaseNoteFactory(case_file=case_file, text="Saw Leo at school.")
    about_leo.people_seen.add(members["Leo"])

    export = subject_access_for(mia)

    notes = notes_by_text(export)
    assert notes["Mia on her own."]["review_before_release"] is False
    assert notes["Mia and Sam."]["people_seen"] == ["Mia Notrealson", "Sam Notrealson"]
    flagged = {item["where"].split(" of ")[0]: item["why"] for item in export.review}
    assert flagged[f"case note {with_sam.pk}"] == [OTHERS_SEEN, OTHERS_PRESENT]
    assert flagged[f"case note {disclosure.pk}"] == [SENSITIVE]
    # A family note that does not record Mia is in the file (it may be about her) but flagged.
    assert notes["Saw Leo at school."]["review_before_release"] is True
    assert flagged[f"case note {about_leo.pk}"] == [OTHERS_SEEN, NOT_ABOUT_SUBJECT]
    assert f"case note {only_mia.pk}" not in flagged


def test_consents_results_and_claims_of_the_family_are_included(case_file, mia, key_worker):
    Consent.objects.create(
        case_file=case_file,
        given_by=mia,
        working_together=True,
        share_information=False,
        given_on=date(2013, 9, 2),
        method="signed",
        recorded_by=key_worker,
    )
    claim = ClaimFactory(case_file=case_file)
    FamilyResultFactory(case_file=case_file, run=claim.pack.results_run, result="progress_to_work")

    export = subject_access_for(mia)

    assert [c["given_on"] for c in export.data["consents_given"]] == [date(2013, 9, 2)]
    assert {r["result"] for r in export.data["results"]} == {
        "crime_asb_education",
        "progress_to_work",
    }
    assert [c["claim_ref"] for c in export.data["claims"]] == [claim.claim_ref]
    assert export.data["case_files"][0]["key_worker"] == "Kim Notreal"


def test_the_download_is_a_json_file_and_is_audited(client, case_file, mia, coordinator):
    client.force_login(coordinator)

    response = client.get(reverse("privacy:person_export", args=[mia.ref]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert f'filename="subject-access-{mia.ref}-' in response["Content-Disposition"]
    document = json.loads(response.content)
    assert document["person"]["family_name"] == "Notrealson"
    assert "review_before_release" in document
    entry = AuditEntry.objects.get(action="export", user=coordinator)
    assert (entry.family_ref, entry.object_type) == ("H10001", "families.person")


@pytest.mark.parametrize("persona", ["key_worker", "finance_officer", "auditor", "data_officer"])
def test_only_coordinators_prepare_subject_access_files(client, request, case_file, mia, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("privacy:person_export", args=[mia.ref])).status_code == 403


def test_the_person_page_keeps_a_fixed_number_of_queries(
    client, case_file, mia, members, coordinator, django_assert_max_num_queries
):
    client.force_login(coordinator)
    url = reverse("privacy:person", args=[mia.ref])
    CaseNoteFactory(case_file=case_file, text="The first note").people_seen.add(mia)
    with django_assert_max_num_queries(35) as few:
        client.get(url)
    for number in range(20):
        note = CaseNoteFactory(case_file=case_file, text=f"Note {number}")
        note.people_seen.add(mia, members["Sam"])
        OffenceFactory(person=mia)
        AsbEventFactory(household=case_file.household)
    mia.memberships.update(valid_to=date(2020, 1, 1))
    mia.memberships.create(
        household=HouseholdFactory(ref="H40004"),
        valid_from=date(2020, 1, 1),
        import_batch=mia.import_batch,
    )

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)

    assert response.status_code == 200
    assert b"entries to review before release" in response.content
