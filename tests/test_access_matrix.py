"""Record-level access, generated from the URL configuration (roles-and-access.md).

Every URL pattern that names a family (a ``ref`` in its path) is requested by every persona.
Who may open it comes from the table below: by default the family's key worker and
coordinators, and nobody else. Anyone else gets a 404 for a GET and for a POST, and the attempt
is in the audit log; everyone allowed gets the page, and reading it is in the audit log too. A
new view that forgets its access check therefore fails here without anyone writing a test for
it; a view meant for other roles must say so in ``ALLOWED``.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from audit.models import AuditEntry
from casework.models import BreakGlass, Domain
from casework.selectors import members_on
from casework.services.assessment import NeedInput, assessment_record
from casework.services.case_tasks import task_add
from casework.services.closure import case_closure_request
from casework.services.consent import consent_record
from casework.services.interventions import family_budget_set, intervention_add
from casework.services.notes import case_note_add
from casework.services.plan import goal_add, review_record
from families.models import CaseFile
from tests.factories import (
    CaseFileFactory,
    HouseholdFactory,
    InterventionTypeFactory,
    PersonFactory,
    UserFactory,
)

PERSONAS = (
    "family_key_worker",
    "other_key_worker",
    "coordinator",
    "finance_officer",
    "data_officer",
    "auditor",
    "administrator",
)
FAMILY_TEAM = frozenset({"family_key_worker", "coordinator"})
COORDINATORS = frozenset({"coordinator"})
COORDINATORS_AND_AUDITORS = frozenset({"coordinator", "auditor"})
KEY_WORKERS = frozenset({"family_key_worker", "other_key_worker"})

# Who may open each family URL, where it is not the family's key worker and coordinators.
ALLOWED: dict[str, frozenset[str]] = {
    # Cohort decisions are the coordinator's (identification pages).
    "families:identification_family": COORDINATORS,
    "families:identification_confirm": COORDINATORS,
    "families:identification_not_proceeding": COORDINATORS,
    # Allocation and the approvals on a case file are the coordinator's.
    "casework:case_allocate": COORDINATORS,
    "casework:case_reallocate": COORDINATORS,
    "casework:case_budget": COORDINATORS,
    "casework:case_intervention_approval": COORDINATORS,
    "casework:case_closure_decide": COORDINATORS,
    "casework:case_reopen": COORDINATORS,
}

# The path arguments other than ``ref`` that name one of a family's records.
OBJECT_KWARGS = {
    "consent_id": "consent",
    "assessment_id": "assessment",
    "goal_id": "goal",
    "intervention_id": "intervention",
    "note_id": "note",
    "task_id": "task",
    "closure_id": "closure",
}


def _family_patterns(resolver=None, namespace=""):
    """(url name, path argument names) of every pattern whose path names a family."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        converters = set(getattr(entry.pattern, "converters", {}))
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            for name, kwargs in _family_patterns(entry, inner):
                yield name, kwargs | converters
        elif isinstance(entry, URLPattern) and entry.name and "ref" in converters:
            yield f"{namespace}{entry.name}", converters


FAMILY_URLS = sorted(_family_patterns())


def test_the_matrix_covers_the_case_file_pages():
    names = {name for name, _ in FAMILY_URLS}
    assert {"casework:case_file", "casework:case_notes", "casework:case_task_done"} <= names


def furnish(case_file: CaseFile, *, coordinator) -> dict[str, int]:
    """Give a case file one record of every kind a URL can name; return their ids."""
    key_worker = case_file.key_worker
    day = date(2013, 9, 10)
    members = list(members_on(household=case_file.household, day=day))
    consent = consent_record(
        case_file=case_file,
        given_by=members[0],
        working_together=True,
        share_information=False,
        given_on=day,
        method="signed",
        by=key_worker,
    )
    assessment = assessment_record(
        case_file=case_file,
        assessed_on=day,
        needs=[NeedInput(person=None, domain=Domain.HOUSING, severity=3)],
        by=key_worker,
    )
    goal = goal_add(
        case_file=case_file,
        need=assessment.needs.get(),
        what="Clear the rent arrears",
        who="Mia with the housing officer",
        due_on=date(2013, 12, 1),
        by=key_worker,
    )
    review_record(
        case_file=case_file,
        held_on=date(2013, 10, 10),
        attendees="Mia, Kim",
        scores={Domain.HOUSING: 4},
        by=key_worker,
    )
    family_budget_set(case_file=case_file, allocation=Decimal("100.00"), by=coordinator)
    intervention = intervention_add(
        case_file=case_file,
        intervention_type=InterventionTypeFactory(name="Debt advice"),
        provider="Citizens Advice",
        starts_on=day,
        cost=Decimal("250.00"),
        paid_from_budget=True,
        by=key_worker,
    )
    note = case_note_add(
        case_file=case_file,
        contact_type="home_visit",
        occurred_at=_at(day),
        text="First visit.",
        by=key_worker,
    )
    task = task_add(
        case_file=case_file,
        title="Call the school",
        due_on=date(2013, 9, 20),
        assignee=key_worker,
        by=key_worker,
    )
    closure = case_closure_request(case_file=case_file, reason="moved_away", by=key_worker)
    return {
        "consent": consent.pk,
        "assessment": assessment.pk,
        "goal": goal.pk,
        "intervention": intervention.pk,
        "note": note.pk,
        "task": task.pk,
        "closure": closure.pk,
    }


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 10, 0))


@pytest.fixture
def personas(
    key_worker, other_key_worker, coordinator, finance_officer, data_officer, auditor, administrator
):
    return {
        "family_key_worker": key_worker,
        "other_key_worker": other_key_worker,
        "coordinator": coordinator,
        "finance_officer": finance_officer,
        "data_officer": data_officer,
        "auditor": auditor,
        "administrator": administrator,
    }


@pytest.fixture
def world(case_file, personas):
    """Family H10001 (Kim's) and family H20002 (someone else's), both with every record."""
    other = CaseFileFactory(
        household=HouseholdFactory(ref="H20002"),
        key_worker=UserFactory(username="una", role="key_worker"),
    )
    PersonFactory(household=other.household, given_name="Zoe")
    coordinator = personas["coordinator"]
    return {
        "case_file": case_file,
        "ids": furnish(case_file, coordinator=coordinator),
        "other_ids": furnish(other, coordinator=coordinator),
    }


def _url(name: str, kwargs: set[str], ref: str, ids: dict[str, int]) -> str:
    unknown = kwargs - {"ref"} - set(OBJECT_KWARGS)
    assert not unknown, f"{name}: add the path arguments {unknown} to OBJECT_KWARGS"
    values = {"ref": ref} | {k: ids[OBJECT_KWARGS[k]] for k in kwargs if k != "ref"}
    return reverse(name, kwargs=values)


def _audited(action: str, ref: str, user, since: int) -> bool:
    return AuditEntry.objects.filter(
        pk__gt=since, action=action, family_ref=ref, user=user
    ).exists()


def _last_audit_id() -> int:
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.mark.parametrize(("name", "kwargs"), FAMILY_URLS, ids=[n for n, _ in FAMILY_URLS])
def test_each_persona_sees_exactly_what_roles_and_access_allows(
    client, world, personas, name, kwargs
):
    ref = world["case_file"].household.ref
    url = _url(name, kwargs, ref, world["ids"])
    allowed = ALLOWED.get(name, FAMILY_TEAM)
    for persona, user in personas.items():
        client.force_login(user)
        before = _last_audit_id()
        response = client.get(url)
        if persona in allowed:
            assert response.status_code in (200, 302, 405), (persona, url, response.status_code)
            if response.status_code == 200:
                assert _audited(AuditEntry.Action.VIEW, ref, user, before), (
                    f"{persona} read {url} and no audit entry says so"
                )
        else:
            posted = client.post(url, {})
            statuses = (response.status_code, posted.status_code)
            # A view may refuse a method before it looks at the family (a 405 tells nothing),
            # but one of the two must reach the access check and answer 404.
            assert set(statuses) <= {404, 405} and 404 in statuses, (persona, url, statuses)
            assert _audited(AuditEntry.Action.DENIED, ref, user, before), (
                f"{persona} was refused {url} and no audit entry says so"
            )


OBJECT_URLS = [(name, kwargs) for name, kwargs in FAMILY_URLS if kwargs - {"ref"}]


@pytest.mark.parametrize(("name", "kwargs"), OBJECT_URLS, ids=[n for n, _ in OBJECT_URLS])
def test_a_record_of_another_family_is_not_found_under_ones_own_family(
    client, world, personas, name, kwargs
):
    """The family's own key worker, asking for another family's record through their own
    family's address, gets a 404: a record is found only under its own family."""
    ref = world["case_file"].household.ref
    url = _url(name, kwargs, ref, world["other_ids"])
    for persona in ALLOWED.get(name, FAMILY_TEAM):
        user = personas[persona]
        client.force_login(user)
        before = _last_audit_id()
        statuses = (client.get(url).status_code, client.post(url, {}).status_code)
        assert set(statuses) <= {404, 405} and 404 in statuses, (persona, url, statuses)
        assert _audited(AuditEntry.Action.DENIED, ref, user, before)


# Pages that name no family but belong to one role: who may open them; anyone else gets 403.
ROLE_PAGES: dict[str, frozenset[str]] = {
    "accounts:users": frozenset({"administrator"}),
    "accounts:user_add": frozenset({"administrator"}),
    "accounts:user_detail": frozenset({"administrator"}),
    "accounts:user_active": frozenset({"administrator"}),
    "accounts:user_sign_in_link": frozenset({"administrator"}),
    "accounts:case_file_grants": frozenset({"coordinator"}),
}


def _user_pages() -> dict[str, str]:
    """url name → route of every accounts page under users/."""
    return {
        f"accounts:{pattern.name}": str(pattern.pattern)
        for entry in get_resolver().url_patterns
        if isinstance(entry, URLResolver) and entry.namespace == "accounts"
        for pattern in entry.url_patterns
        if str(pattern.pattern).startswith("users/")
    }


def test_the_matrix_covers_the_user_pages():
    assert set(_user_pages()) == set(ROLE_PAGES)


@pytest.mark.parametrize("name", sorted(ROLE_PAGES))
def test_each_persona_reaches_only_the_user_pages_of_its_role(client, personas, name):
    someone = personas["other_key_worker"]
    kwargs = {"user_id": someone.pk} if "<int:user_id>" in _user_pages()[name] else {}
    url = reverse(name, kwargs=kwargs)
    for persona, user in personas.items():
        client.force_login(user)
        if persona in ROLE_PAGES[name]:
            assert client.get(url).status_code in (200, 405), (persona, url)
        else:
            statuses = {client.get(url).status_code, client.post(url, {}).status_code}
            assert statuses <= {403, 405} and 403 in statuses, (persona, url, statuses)
    someone.refresh_from_db()
    assert someone.is_active


# The pages where the authority reviews its own choices and access (the discretion explorer,
# unusual access, break glass and its review): who may open each, and the query a GET needs.
# Everyone else is refused (403: the page names no family).
# A value that is a function of the personas is filled in by it.
REVIEW_PAGES: dict[str, tuple[frozenset[str], dict[str, object]]] = {
    "families:discretion_explorer": (COORDINATORS, {}),
    "families:discretion_families": (COORDINATORS, {"figure": "eligible_now"}),
    "families:discretion_apply": (COORDINATORS, {}),
    "privacy:unusual_access": (COORDINATORS_AND_AUDITORS, {}),
    "privacy:unusual_access_export": (COORDINATORS_AND_AUDITORS, {}),
    "privacy:unusual_access_entries": (
        COORDINATORS_AND_AUDITORS,
        {"figure": "refused", "user": lambda personas: personas["family_key_worker"].pk},
    ),
    "casework:break_glass_new": (KEY_WORKERS, {}),
    "casework:break_glass_queue": (COORDINATORS, {}),
    "casework:break_glass_review": (COORDINATORS, {}),
}
# The path arguments of a review page, from the personas.
REVIEW_PAGE_KWARGS = {
    "casework:break_glass_review": lambda personas: {"pk": _break_glass(personas)}
}


def _break_glass(personas) -> int:
    """A use of emergency access by the other key worker, to review."""
    now = timezone.now()
    return BreakGlass.objects.create(
        case_file=CaseFileFactory(),
        user=personas["other_key_worker"],
        reason=BreakGlass.Reason.OTHER,
        details="A call from the police.",
        started_at=now,
        expires_at=now + timedelta(hours=1),
    ).pk


@pytest.mark.parametrize("name", sorted(REVIEW_PAGES))
def test_each_persona_reaches_exactly_the_review_pages_roles_and_access_allows(
    client, personas, name
):
    allowed, query = REVIEW_PAGES[name]
    query = {k: v(personas) if callable(v) else v for k, v in query.items()}
    url = reverse(name, kwargs=REVIEW_PAGE_KWARGS.get(name, lambda _: {})(personas))
    for persona, user in personas.items():
        client.force_login(user)
        statuses = (client.get(url, query).status_code, client.post(url, {}).status_code)
        if persona in allowed:
            assert set(statuses) <= {200, 302, 405} and 200 in statuses, (persona, statuses)
        else:
            # As for family pages, a method may be refused first: a 405 tells nothing.
            assert set(statuses) <= {403, 405} and 403 in statuses, (persona, url, statuses)
