from datetime import date

from casework.models import CaseNote, CaseReopening, Intervention
from demo.casework import seed_case_files
from families.models import CaseFile
from tests.factories import CaseFileFactory, HouseholdFactory, PersonFactory, UserFactory


def test_the_demo_has_case_files_in_every_state(db):
    UserFactory(username="demo_coordinator", role="coordinator")
    key_worker = UserFactory(username="demo_keyworker", role="key_worker")
    for n in range(7):
        household = HouseholdFactory(ref=f"D{n:04d}")
        PersonFactory(household=household, date_of_birth=date(1980, 1, 1))
        PersonFactory(household=household, date_of_birth=date(2005, 1, 1))
        CaseFileFactory(household=household, key_worker=key_worker, attached_on=date(2014, 1, 6))

    states = seed_case_files(as_of=date(2014, 3, 3))

    assert set(CaseFile.objects.values_list("status", flat=True)) == set(CaseFile.Status.values)
    assert sum(len(refs) for refs in states.values()) == 7
    assert Intervention.objects.filter(approval=Intervention.Approval.AWAITING).exists()
    assert CaseNote.objects.filter(is_sensitive=True, addenda__isnull=False).exists()
    assert CaseReopening.objects.exists()
