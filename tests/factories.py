"""factory-boy factories for the models tests build on. Names are clearly fake."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory
from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from casework import models as cm
from families import models as fm
from families.member_texts import refresh_member_texts


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"Tester{n}")
    last_name = "Notreal"
    password = factory.django.Password("Correct-horse-battery-1")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=Role(extracted).label))


class ImportBatchFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = fm.ImportBatch

    kind = fm.ImportKind.PEOPLE
    file_name = "people.csv"
    sha256 = "0" * 64
    as_of = date(2014, 11, 15)
    status = fm.ImportBatch.Status.SUCCEEDED


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = fm.Household
        django_get_or_create = ("ref",)

    ref = factory.Sequence(lambda n: f"H{n:05d}")


class PersonFactory(factory.django.DjangoModelFactory):
    """A person who is a member of ``household`` from the beginning of time."""

    class Meta:
        model = fm.Person
        skip_postgeneration_save = True

    ref = factory.Sequence(lambda n: f"P{n:06d}")
    household = factory.SubFactory(HouseholdFactory)
    given_name = factory.Iterator(["Ava", "Noah", "Mia", "Leo", "Isla", "Jack"])
    family_name = "Notrealson"
    date_of_birth = date(1980, 1, 1)
    sex = "F"
    postcode = "ZZ99 1AA"
    import_batch = factory.SubFactory(ImportBatchFactory)

    @factory.post_generation
    def membership(self, create, extracted, **kwargs):
        if create:
            fm.Membership.objects.create(
                person=self,
                household=self._household,
                valid_from=fm.FIRST_SNAPSHOT_FROM,
                import_batch=self.import_batch,
            )
            refresh_texts(self._household)

    @classmethod
    def _create(cls, model_class, *args, household=None, **kwargs):
        person = super()._create(model_class, *args, **kwargs)
        person._household = household
        return person


class PartnerRecordFactory(factory.django.DjangoModelFactory):
    import_batch = factory.SubFactory(ImportBatchFactory)


class AttendanceFactory(PartnerRecordFactory):
    class Meta:
        model = fm.Attendance

    person = factory.SubFactory(PersonFactory)
    academic_year = "2012/13"
    term = "autumn"
    term_start = date(2012, 9, 1)
    term_end = date(2012, 12, 31)
    possible_sessions = 100
    unauthorised_sessions = 0


class ExclusionFactory(PartnerRecordFactory):
    class Meta:
        model = fm.Exclusion

    person = factory.SubFactory(PersonFactory)
    start_date = date(2013, 1, 10)
    exclusion_type = "fixed"


class EducationStatusFactory(PartnerRecordFactory):
    class Meta:
        model = fm.EducationStatus

    person = factory.SubFactory(PersonFactory)
    status = "not_on_roll"
    reason = "other"
    start_date = date(2013, 1, 10)


class OffenceFactory(PartnerRecordFactory):
    class Meta:
        model = fm.Offence

    person = factory.SubFactory(PersonFactory)
    source_ref = factory.Sequence(lambda n: f"OFF-{n:06d}")
    offence_date = date(2013, 1, 10)
    outcome_date = date(2013, 2, 10)
    offence_type = "theft"


class AsbEventFactory(PartnerRecordFactory):
    class Meta:
        model = fm.AsbEvent

    household = factory.SubFactory(HouseholdFactory)
    person = None
    source_ref = factory.Sequence(lambda n: f"ASB-{n:06d}")
    event_date = date(2013, 1, 10)
    event_type = "asbo"


class BenefitSpellFactory(PartnerRecordFactory):
    class Meta:
        model = fm.BenefitSpell

    person = factory.SubFactory(PersonFactory)
    benefit = "JSA"
    start_date = date(2012, 1, 10)
    end_date = None


class EmploymentSpellFactory(PartnerRecordFactory):
    class Meta:
        model = fm.EmploymentSpell

    person = factory.SubFactory(PersonFactory)
    start_date = date(2013, 1, 10)
    end_date = None


class WorkProgressFactory(PartnerRecordFactory):
    class Meta:
        model = fm.WorkProgress

    person = factory.SubFactory(PersonFactory)
    provision = "work_programme"
    attached_date = date(2013, 1, 10)


class ConcernFactory(PartnerRecordFactory):
    class Meta:
        model = fm.Concern

    household = factory.SubFactory(HouseholdFactory)
    person = None
    concern = "other"
    start_date = date(2012, 1, 10)


class EligibilityRunFactory(factory.django.DjangoModelFactory):
    """A finished, successful full run."""

    class Meta:
        model = fm.EligibilityRun

    as_of = date(2014, 11, 15)
    rules_version = "test-rules"
    status = fm.EligibilityRun.Status.SUCCEEDED
    finished_at = factory.LazyFunction(timezone.now)


class EligibilityResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = fm.EligibilityResult

    run = factory.SubFactory(EligibilityRunFactory)
    household = factory.SubFactory(HouseholdFactory)
    crime_asb = True
    education = True
    work = True
    local_discretion = False
    criteria_met = factory.LazyAttribute(lambda o: o.crime_asb + o.education + o.work)
    eligible = factory.LazyAttribute(
        lambda o: o.criteria_met == 3 or (o.criteria_met == 2 and o.local_discretion)
    )
    reasons = "asbo 2014-03-01; 3 fixed exclusions (Ava); JSA (Mia)"


class EligibilityChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = fm.EligibilityChange

    run = factory.SubFactory(EligibilityRunFactory)
    household = factory.SubFactory(HouseholdFactory)
    change = fm.EligibilityChange.Change.NEWLY_ELIGIBLE
    before = ""
    after = "crime/ASB, education, work"


class CurrentEligibilityFactory(factory.django.DjangoModelFactory):
    """A household's current assessment; criteria default to all three (eligible)."""

    class Meta:
        model = fm.CurrentEligibility
        skip_postgeneration_save = True

    household = factory.SubFactory(HouseholdFactory)
    run = factory.SubFactory(EligibilityRunFactory)
    as_of = factory.SelfAttribute("run.as_of")
    crime_asb = True
    education = True
    work = True
    local_discretion = False
    criteria_met = factory.LazyAttribute(lambda o: o.crime_asb + o.education + o.work)
    eligible = factory.LazyAttribute(
        lambda o: o.criteria_met == 3 or (o.criteria_met == 2 and o.local_discretion)
    )
    reasons = "asbo 2014-03-01; 3 fixed exclusions (Ava); JSA (Mia)"
    eligible_since = factory.LazyAttribute(lambda o: o.as_of if o.eligible else None)
    changed_in_run = factory.SelfAttribute("run")

    @factory.post_generation
    def member_texts(self, create, extracted, **kwargs):
        # What a run writes: the members' names and postcodes on the day.
        if create:
            write_member_texts(self)


def write_member_texts(current: fm.CurrentEligibility) -> None:
    members = [
        m.person
        for m in fm.Membership.objects.filter(household_id=current.household_id).select_related(
            "person"
        )
        if m.valid_from <= current.as_of and (m.valid_to is None or m.valid_to > current.as_of)
    ]
    members.sort(key=lambda p: (p.family_name, p.given_name))
    current.family_names = ", ".join(sorted({p.family_name for p in members}))
    current.member_names = ", ".join(f"{p.given_name} {p.family_name}" for p in members)
    current.postcodes = ", ".join(sorted({p.postcode for p in members}))
    current.save(update_fields=["family_names", "member_names", "postcodes"])


def refresh_texts(*households: fm.Household) -> None:
    """What a people import does after changing members: the households' current texts."""
    with connection.cursor() as cursor:
        refresh_member_texts(cursor, [household.pk for household in households])


class CohortDecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = fm.CohortDecision

    household = factory.SubFactory(HouseholdFactory)
    decision = fm.CohortDecision.Decision.CONFIRMED
    decided_by = factory.SubFactory(UserFactory, role=Role.COORDINATOR)


# --- Case files and casework (engineer D) ----------------------------------------------------


class CaseFileFactory(factory.django.DjangoModelFactory):
    """An attached family with its baseline, allocated to ``key_worker`` since ``attached_on``.

    Built directly (not through ``case_file_attach``) so casework tests need no partner records.
    """

    class Meta:
        model = fm.CaseFile
        skip_postgeneration_save = True

    household = factory.SubFactory(HouseholdFactory)
    key_worker = factory.SubFactory(UserFactory, role=Role.KEY_WORKER)
    attached_on = date(2013, 9, 2)
    rules_version = "test-rules"
    baseline_crime_asb = True
    baseline_education = True
    baseline_work = True
    baseline_local_discretion = False
    baseline_reasons = "asbo 2013-03-01; 3 fixed exclusions (Ava); JSA (Mia)"
    baseline_asb_events = 2
    baseline_youth_offences = 1

    @factory.post_generation
    def allocation(self, create, extracted, **kwargs):
        if create:
            fm.Allocation.objects.create(
                case_file=self, key_worker=self.key_worker, allocated_on=self.attached_on
            )


class InterventionTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.InterventionType
        django_get_or_create = ("name",)

    name = factory.Iterator(["Parenting course", "Debt advice", "Family mediation"])


class CaseNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.CaseNote

    case_file = factory.SubFactory(CaseFileFactory)
    contact_type = cm.CaseNote.ContactType.HOME_VISIT
    occurred_at = factory.LazyFunction(timezone.now)
    text = "Visited the family at home."
    author = factory.SelfAttribute("case_file.key_worker")


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.Task

    case_file = factory.SubFactory(CaseFileFactory)
    title = factory.Sequence(lambda n: f"Task {n}")
    due_on = date(2013, 10, 1)
    assignee = factory.SelfAttribute("case_file.key_worker")
    created_by = factory.SelfAttribute("case_file.key_worker")


# --- Interventions, results and claims, for the dashboards (engineer F) ----------------------


class InterventionFactory(factory.django.DjangoModelFactory):
    """An intervention under way, paid for outside the family budget."""

    class Meta:
        model = cm.Intervention

    case_file = factory.SubFactory(CaseFileFactory)
    intervention_type = factory.SubFactory(InterventionTypeFactory)
    provider = "Notreal Family Services"
    starts_on = date(2013, 10, 1)
    status = cm.Intervention.Status.ACTIVE
    cost = Decimal("500.00")
    created_by = factory.SelfAttribute("case_file.key_worker")


class ResultsRunFactory(factory.django.DjangoModelFactory):
    """A finished, successful results run."""

    class Meta:
        model = "outcomes.ResultsRun"

    as_of = date(2014, 10, 31)
    rules_version = "test-results"
    status = "succeeded"
    finished_at = factory.LazyFunction(timezone.now)


class FamilyResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "outcomes.FamilyResult"

    run = factory.SubFactory(ResultsRunFactory)
    case_file = factory.SubFactory(CaseFileFactory)
    household = factory.SelfAttribute("case_file.household")
    result = "crime_asb_education"
    state = "achieved"
    reason = "every measure met"


class FirstAchievedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "outcomes.FirstAchieved"

    household = factory.SubFactory(HouseholdFactory)
    result = "crime_asb_education"
    first_achieved_on = date(2014, 4, 30)
    run = factory.SubFactory(ResultsRunFactory, as_of=factory.SelfAttribute("..first_achieved_on"))


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "claims.Commitment"
        django_get_or_create = ("financial_year",)

    financial_year = 2012
    families = 150


class ClaimWindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "claims.ClaimWindow"
        django_get_or_create = ("name",)

    name = "2014-10"
    assess_on = date(2014, 10, 31)


class ClaimPackFactory(factory.django.DjangoModelFactory):
    """A draft pack; give ``status`` after adding claims, as a submitted pack takes none."""

    class Meta:
        model = "claims.ClaimPack"
        django_get_or_create = ("window",)

    window = factory.SubFactory(ClaimWindowFactory)
    results_run = factory.SubFactory(
        ResultsRunFactory, as_of=factory.SelfAttribute("..window.assess_on")
    )


class ClaimFactory(factory.django.DjangoModelFactory):
    """A live claim of ``case_file``'s family in ``pack``, by the 2013/14 rates (R £1,600)."""

    class Meta:
        model = "claims.Claim"

    pack = factory.SubFactory(ClaimPackFactory)
    case_file = factory.SubFactory(CaseFileFactory)
    household = factory.SelfAttribute("case_file.household")
    result = "crime_asb_education"
    claim_ref = factory.Sequence(lambda n: f"TF-TEST-{n:05d}")
    financial_year = 2013
    amount = Decimal("1500.00")
    results_element = Decimal("1600.00")
    assessed_on = factory.SelfAttribute("pack.window.assess_on")
    family_result = factory.SubFactory(
        FamilyResultFactory,
        run=factory.SelfAttribute("..pack.results_run"),
        case_file=factory.SelfAttribute("..case_file"),
        result=factory.SelfAttribute("..result"),
    )


# --- Data protection (engineer G) ------------------------------------------------------------


class ClosureRequestFactory(factory.django.DjangoModelFactory):
    """An approved closure: give ``decided_at`` for the day the case was closed."""

    class Meta:
        model = cm.ClosureRequest

    case_file = factory.SubFactory(CaseFileFactory)
    reason = cm.ClosureRequest.Reason.RESULTS_ACHIEVED
    status_before = fm.CaseFile.Status.OPEN
    requested_by = factory.SelfAttribute("case_file.key_worker")
    decision = cm.ClosureRequest.Decision.APPROVED
    decided_by = factory.SubFactory(UserFactory, role=Role.COORDINATOR)
    decided_at = factory.LazyFunction(timezone.now)


class ErasureRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "privacy.ErasureRequest"

    person = factory.SubFactory(PersonFactory)
    received_on = date(2021, 3, 1)
    grounds = "Asked for everything about her to be deleted."
    requested_by = factory.SubFactory(UserFactory, role=Role.KEY_WORKER)


class SourcePersonFactory(factory.django.DjangoModelFactory):
    """A partner's person (linkage.md), unlinked unless told otherwise."""

    class Meta:
        model = fm.SourcePerson

    source = "county_police"
    source_person_id = factory.Sequence(lambda n: f"N{n:06d}")
    given_name = "Kai"
    family_name = "Notrealson"
    date_of_birth = date(1998, 1, 1)
    status = fm.LinkStatus.UNLINKED
    first_batch = factory.SubFactory(ImportBatchFactory, kind=fm.ImportKind.OFFENCES)
    last_batch = factory.SelfAttribute("first_batch")


class LinkCandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = fm.LinkCandidate

    source_person = factory.SubFactory(SourcePersonFactory, status=fm.LinkStatus.POSSIBLE)
    person = factory.SubFactory(PersonFactory)
    rank = 1
    probability = 0.8
    match_weight = 2.0
