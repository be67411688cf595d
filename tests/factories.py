"""factory-boy factories for the models tests build on. Names are clearly fake."""

from __future__ import annotations

from datetime import date

import factory
from django.contrib.auth.models import Group

from accounts.models import User
from accounts.roles import Role
from families import models as fm


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
