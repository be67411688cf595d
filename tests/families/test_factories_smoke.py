from families.models import Membership
from tests.factories import HouseholdFactory, PersonFactory


def test_person_factory_makes_a_member_of_the_given_household(db):
    household = HouseholdFactory(ref="H00001")
    person = PersonFactory(household=household)
    assert Membership.objects.get(person=person).household == household
