"""The demo authority's story holds: a borough two and a half years into the programme on its
service day, with paid claim windows behind it and families ready to claim in 2014-10.

Seeded at a fifth of the borough (its programme families scale with it), through the same
``demo_seed`` that ``make run`` calls, once for all the tests here."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction
from django.db.models import Count, Q

from casework.models import CaseNote, Intervention, Task
from claims.models import Claim, ClaimAdjustment, ClaimPack, ClaimWindow, Commitment
from claims.payments import claimable_for_run
from dashboards.models import Targets
from demo.population import FAMILY_NAMES
from demo.services import DEMO_DAY, demo_seed
from families.models import CaseFile, CurrentEligibility, ImportBatch, Person
from outcomes.models import ResultsRun, ResultState
from tests.migrated_data import restore_migrated_data

HOUSEHOLDS = 800


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Seeded once for the module, inside a transaction rolled back after it: each test's own
    transaction nests inside, and the next module finds the database as it was."""
    with django_db_blocker.unblock():
        # A browser test before this module may have flushed the role groups away.
        restore_migrated_data(django_db_setup)
    with django_db_blocker.unblock(), transaction.atomic():
        yield demo_seed(households=HOUSEHOLDS)
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _database(db):
    """Every test here reads the seeded demo."""


def test_the_three_claim_windows_before_the_service_day_were_paid(demo):
    packs = {pack.window.name: pack for pack in ClaimPack.objects.select_related("window")}

    assert set(packs) == {"2013-07", "2014-01", "2014-07"}
    for pack in packs.values():
        assert pack.status == ClaimPack.Status.PAID
        assert pack.paid_on <= DEMO_DAY
        assert pack.claims.filter(status=Claim.Status.INCLUDED).exists()
        checks = pack.audit_sample.checks.all()
        assert checks and all(check.is_done for check in checks)
    # One claim found invalid after payment, its money returned by an adjustment.
    withdrawn = Claim.objects.get(status=Claim.Status.WITHDRAWN)
    assert withdrawn.pack == packs["2014-01"]
    assert ClaimAdjustment.objects.get(claim=withdrawn).amount == -withdrawn.amount
    # And one that failed internal audit's spot check was taken out before sign-off.
    assert packs["2014-07"].claims.filter(status=Claim.Status.EXCLUDED).count() == 1


def test_the_2014_10_window_is_open_with_families_ready_to_claim(demo):
    window = ClaimWindow.objects.get(name="2014-10")

    assert not ClaimPack.objects.filter(window=window).exists()
    latest = ResultsRun.objects.filter(as_of=DEMO_DAY).latest("pk")
    ready = [family for family in claimable_for_run(latest, achieving_only=True) if family.lines]
    assert len(ready) >= 3


def test_families_were_attached_in_each_year_of_the_programme(demo):
    years = {
        2012: (date(2012, 4, 1), date(2013, 3, 31)),
        2013: (date(2013, 4, 1), date(2014, 3, 31)),
        2014: (date(2014, 4, 1), DEMO_DAY),
    }
    for first, last in years.values():
        assert CaseFile.objects.filter(attached_on__range=(first, last)).count() >= 10
    assert {c.financial_year: c.families for c in Commitment.objects.all()} == {
        2012: 150,
        2013: 198,
        2014: 395,
    }
    # Some eligible families are still waiting for the coordinator to confirm them.
    waiting = CurrentEligibility.objects.filter(eligible=True, household__case_file=None)
    assert waiting.count() >= 5


def test_some_key_workers_carry_more_open_cases_than_the_limit(demo):
    limit = Targets.objects.first().caseload_limit if Targets.objects.exists() else 15
    loads = (
        CaseFile.objects.exclude(status=CaseFile.Status.CLOSED)
        .values("key_worker")
        .annotate(open=Count("pk"))
    )
    assert any(load["open"] > limit for load in loads) or HOUSEHOLDS < 4000
    assert len(loads) >= 10


def test_case_files_are_in_every_state_with_their_casework(demo):
    states = set(CaseFile.objects.values_list("status", flat=True))
    assert states == set(CaseFile.Status.values)
    assert CaseNote.objects.filter(is_sensitive=True).exists()
    assert Task.objects.filter(done_on=None, due_on__lt=DEMO_DAY).exists()
    assert Intervention.objects.filter(approval=Intervention.Approval.AWAITING).exists()
    assert Intervention.objects.filter(cost__gt=0, paid_from_budget=True).exists()


def test_results_are_achieved_for_some_families_and_not_yet_for_others(demo):
    latest = ResultsRun.objects.filter(as_of=DEMO_DAY).latest("pk")
    states = latest.results.aggregate(
        achieved=Count("pk", filter=Q(state=ResultState.ACHIEVED)),
        not_yet=Count("pk", filter=Q(state=ResultState.NOT_ACHIEVED)),
    )
    assert states["achieved"] > 0 and states["not_yet"] > 0


def test_the_partner_data_came_in_extracts_over_two_and_a_half_years(demo):
    batches = ImportBatch.objects.all()
    succeeded = batches.filter(status=ImportBatch.Status.SUCCEEDED)
    assert succeeded.order_by("as_of").first().as_of == date(2012, 9, 30)
    assert succeeded.order_by("as_of").last().as_of == DEMO_DAY
    assert succeeded.values("as_of").distinct().count() == 5
    # A file refused for a mistake in it, as the data officer will meet.
    assert batches.exclude(status=ImportBatch.Status.SUCCEEDED).count() == 1


def test_names_and_postcodes_are_made_up_but_plausible(demo):
    people = Person.objects.all()
    family_names = people.values_list("family_name", flat=True)
    # A double-barrelled name joins two of them.
    assert {part for name in family_names for part in name.split("-")} <= set(FAMILY_NAMES)
    assert not any("Dummy" in name or "Notreal" in name for name in family_names)
    assert all(postcode.startswith("HA") for postcode in people.values_list("postcode", flat=True))
