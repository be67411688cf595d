"""Subject access (UK GDPR article 15): everything tfp holds on one person, as one file.

The export gathers the person's record and households, every partner record about them (and
about their household while they belonged to it), the case-file entries about them, and the
results and claims of their families. Entries that also carry other people's information or
that are marked sensitive are flagged for review: the officer answering the request reads
them and decides what to withhold or redact before anything is released.

Each kind of record is one query, whatever the size of the file.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from audit.models import AuditEntry
from audit.services import audit_record
from casework import models as cm
from claims.models import Claim
from families import models as fm
from outcomes.models import FamilyResult, FirstAchieved, ResultsRun
from tfp import clock

SENSITIVE = (
    "Marked sensitive (for example a disclosure of abuse): check that releasing it cannot put "
    "anyone at risk."
)
OTHERS_SEEN = "Records other family members as seen: what it says about them is third-party data."
OTHERS_PRESENT = "Names other people who were present: third-party data."
NOT_ABOUT_SUBJECT = "Does not record this person as seen: it may be about other family members."
WHOLE_FAMILY = "About the whole family: what it says about other members is third-party data."
HOUSEHOLD_RECORD = "A record about the household: it concerns the other members too."

# Partner records about a person: (section, model, fields).
PERSON_RECORDS = [
    (
        "school_attendance",
        fm.Attendance,
        ["academic_year", "term", "possible_sessions", "unauthorised_sessions"],
    ),
    ("school_exclusions", fm.Exclusion, ["start_date", "exclusion_type", "sessions"]),
    ("education_status", fm.EducationStatus, ["status", "reason", "start_date", "end_date"]),
    (
        "offences",
        fm.Offence,
        ["source_ref", "offence_date", "outcome_date", "outcome_type", "offence_type"],
    ),
    ("out_of_work_benefits", fm.BenefitSpell, ["benefit", "start_date", "end_date"]),
    ("employment", fm.EmploymentSpell, ["start_date", "end_date"]),
    ("progress_to_work", fm.WorkProgress, ["provision", "attached_date"]),
]
# Partner records that may be about the person or about their whole household.
PERSON_OR_HOUSEHOLD_RECORDS = [
    (
        "anti_social_behaviour",
        fm.AsbEvent,
        ["source_ref", "event_date", "event_type"],
        "event_date",
    ),
    ("concerns", fm.Concern, ["concern", "start_date", "end_date"], "start_date"),
]
SOURCE = ["import_batch__file_name", "import_batch__as_of"]


@dataclass
class SubjectAccess:
    """The export, and the entries in it that someone must read before it is released."""

    data: dict[str, object]
    review: list[dict[str, object]] = field(default_factory=list)

    def as_json(self) -> bytes:
        document = {**self.data, "review_before_release": self.review}
        return json.dumps(document, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False).encode()


def _during(memberships: list[dict], household_id: int, day: date) -> bool:
    return any(
        m["household_id"] == household_id
        and m["valid_from"] <= day
        and (m["valid_to"] is None or day < m["valid_to"])
        for m in memberships
    )


def _source(row: dict) -> dict:
    row["source"] = {
        "file": row.pop("import_batch__file_name"),
        "as_of": row.pop("import_batch__as_of"),
    }
    return row


def subject_access_for(person: fm.Person) -> SubjectAccess:
    """Everything held on ``person``, with the entries to review before release."""
    memberships = list(
        fm.Membership.objects.filter(person=person)
        .order_by("valid_from")
        .values("household_id", "household__ref", "valid_from", "valid_to")
    )
    household_ids = sorted({m["household_id"] for m in memberships})
    review: list[dict[str, object]] = []

    partner: dict[str, list[dict]] = {}
    for section, model, fields in PERSON_RECORDS:
        partner[section] = [
            _source(row) for row in model.objects.filter(person=person).values(*fields, *SOURCE)
        ]
    for section, model, fields, day in PERSON_OR_HOUSEHOLD_RECORDS:
        rows = []
        for row in model.objects.filter(
            Q(person=person) | Q(household_id__in=household_ids)
        ).values(*fields, *SOURCE, "household_id", "household__ref"):
            household_id = row.pop("household_id")
            if household_id is not None and not _during(memberships, household_id, row[day]):
                continue
            row["about"] = f"household {row.pop('household__ref')}" if household_id else "person"
            rows.append(_source(row))
            if household_id:
                review.append(
                    {"where": f"{section}: {row[day]} ({row['about']})", "why": [HOUSEHOLD_RECORD]}
                )
        partner[section] = rows

    case_files = list(
        fm.CaseFile.objects.filter(household_id__in=household_ids)
        .select_related("household", "key_worker")
        .order_by("attached_on")
    )
    case_file_ids = [c.pk for c in case_files]
    consents = list(
        cm.Consent.objects.filter(given_by=person).values(
            "case_file__household__ref",
            "working_together",
            "share_information",
            "named_partners",
            "given_on",
            "method",
            "withdrawn_on",
            "withdrawal_reason",
        )
    )
    needs = list(
        cm.Need.objects.filter(
            Q(person=person) | Q(person__isnull=True, assessment__case_file_id__in=case_file_ids)
        )
        .order_by("assessment__assessed_on", "domain")
        .values(
            "id",
            "person_id",
            "assessment__case_file__household__ref",
            "assessment__assessed_on",
            "domain",
            "severity",
            "detail",
        )
    )
    goals = list(
        cm.Goal.objects.filter(need__person=person)
        .order_by("due_on")
        .values("case_file__household__ref", "need__domain", "what", "who", "due_on", "status")
    )
    notes = list(
        cm.CaseNote.objects.filter(case_file_id__in=case_file_ids)
        .select_related("case_file__household", "author")
        .prefetch_related("people_seen", "addenda")
        .order_by("occurred_at", "id")
    )

    note_rows = []
    for note in notes:
        seen = list(note.people_seen.all())
        if person not in seen and not _during(
            memberships, note.case_file.household_id, timezone.localtime(note.occurred_at).date()
        ):
            continue
        why = []
        if note.is_sensitive:
            why.append(SENSITIVE)
        if any(other.pk != person.pk for other in seen):
            why.append(OTHERS_SEEN)
        if note.others_seen:
            why.append(OTHERS_PRESENT)
        if person not in seen:
            why.append(NOT_ABOUT_SUBJECT)
        where = f"case note {note.pk} of {timezone.localtime(note.occurred_at):%d %B %Y}"
        note_rows.append(
            {
                "note": note.pk,
                "family": note.case_file.household.ref,
                "occurred_at": note.occurred_at,
                "contact_type": note.get_contact_type_display(),
                "people_seen": [str(p) for p in seen],
                "others_seen": note.others_seen,
                "text": note.text,
                "sensitive": note.is_sensitive,
                "written_by": str(note.author),
                "addenda": [{"added_at": a.created_at, "text": a.text} for a in note.addenda.all()],
                "review_before_release": bool(why),
            }
        )
        if why:
            review.append({"where": where, "why": why})
    for need in needs:
        if need.pop("person_id") is None:
            need["about"] = "whole family"
            review.append(
                {
                    "where": f"assessed need ({need['domain']}) of "
                    f"{need['assessment__assessed_on']}",
                    "why": [WHOLE_FAMILY],
                }
            )
        else:
            need["about"] = "person"
        need.pop("id")

    latest = (
        ResultsRun.objects.filter(status=ResultsRun.Status.SUCCEEDED)
        .order_by("-finished_at", "-id")
        .values_list("pk", flat=True)
        .first()
    )
    results = list(
        FamilyResult.objects.filter(run_id=latest, household_id__in=household_ids)
        .order_by("household__ref", "result")
        .values("household__ref", "run__as_of", "result", "state", "reason")
    )
    first_achieved = list(
        FirstAchieved.objects.filter(household_id__in=household_ids)
        .order_by("household__ref", "result")
        .values("household__ref", "result", "first_achieved_on")
    )
    claims = list(
        Claim.objects.filter(household_id__in=household_ids)
        .order_by("claim_ref")
        .values("claim_ref", "household__ref", "result", "assessed_on", "amount", "status")
    )

    data = {
        "prepared_on": clock.today(),
        "prepared_by": settings.AUTHORITY_NAME,
        "about_this_file": (
            "Everything the Troubled Families service (tfp) holds about the person below: "
            "their record, the records partners sent about them, what their key worker "
            "recorded, and the results and claims of their family. Entries listed under "
            "review_before_release also concern other people or are sensitive, and must be "
            "read before the file is released."
        ),
        "person": {
            "ref": person.ref,
            "given_name": person.given_name,
            "family_name": person.family_name,
            "date_of_birth": person.date_of_birth,
            "sex": person.get_sex_display(),
            "postcode": person.postcode,
            "unique_pupil_number": person.upn,
            "national_insurance_number": person.nino,
            "source": {"file": person.import_batch.file_name, "as_of": person.import_batch.as_of},
        },
        "households": [
            {
                "family": m["household__ref"],
                "from": None if m["valid_from"] == fm.FIRST_SNAPSHOT_FROM else m["valid_from"],
                "until": m["valid_to"],
            }
            for m in memberships
        ],
        # How partner systems named the person in files linked to them (linkage.md).
        "partner_identities": list(
            fm.SourcePerson.objects.filter(person=person)
            .order_by("source", "source_person_id")
            .values(
                "source",
                "source_person_id",
                "given_name",
                "family_name",
                "date_of_birth",
                "postcode",
                "upn",
                "nino",
                "method",
            )
        ),
        "partner_records": partner,
        "case_files": [
            {
                "family": c.household.ref,
                "attached_on": c.attached_on,
                "status": c.get_status_display(),
                "key_worker": str(c.key_worker),
            }
            for c in case_files
        ],
        "consents_given": consents,
        "assessed_needs": needs,
        "plan_goals": goals,
        "case_notes": note_rows,
        "results": results,
        "results_first_achieved": first_achieved,
        "claims": claims,
    }
    return SubjectAccess(data=data, review=review)


@transaction.atomic
def subject_access_export(*, person: fm.Person, exported_by, request=None) -> SubjectAccess:
    """The export for download, recorded in the audit log as an export of the person."""
    export = subject_access_for(person)
    families = [h["family"] for h in export.data["households"]]
    audit_record(
        action=AuditEntry.Action.EXPORT,
        user=exported_by,
        request=request,
        obj=person,
        family_ref=families[-1] if families else "",
        summary=f"Subject-access export of person {person.ref} "
        f"({len(export.review)} entries to review)",
        details={"families": families, "to_review": len(export.review)},
    )
    return export


def entries_by_section(export: SubjectAccess) -> dict[str, int]:
    """How many entries each part of the export holds, for the page that offers it."""
    counts: dict[str, int] = defaultdict(int)
    for section, rows in export.data["partner_records"].items():
        counts[section.replace("_", " ").capitalize()] = len(rows)
    for key in ("case_files", "consents_given", "assessed_needs", "plan_goals", "case_notes"):
        counts[key.replace("_", " ").capitalize()] = len(export.data[key])
    for key in ("results", "claims"):
        counts[key.capitalize()] = len(export.data[key])
    return dict(counts)
