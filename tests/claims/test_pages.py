"""The finance pages: access by role, the journey through POSTs, downloads, fixed queries."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from claims.models import Claim, ClaimPack, ClaimWindow, Commitment, PackBuild, RateCard
from claims.services import audit_sample_draw, claim_pack_build, claim_window_create
from outcomes.services import results_run
from tests.claims.conftest import asb_family, working_family
from tests.factories import CaseFileFactory, HouseholdFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pack(two_families):
    return claim_pack_build(window=claim_window_create(name="2014-10"))


def signed_in(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("url", "allowed", "refused"),
    [
        ("claims:windows", ["finance_officer", "auditor", "coordinator"], ["key_worker"]),
        ("claims:ready", ["finance_officer", "coordinator"], ["auditor", "key_worker"]),
        ("claims:claims", ["finance_officer", "auditor", "coordinator"], ["key_worker"]),
        ("claims:rates", ["finance_officer", "auditor", "administrator"], ["key_worker"]),
        ("claims:income", ["finance_officer", "coordinator"], ["auditor", "administrator"]),
    ],
)
def test_each_finance_page_is_for_its_roles_only(request, client, url, allowed, refused):
    for persona in allowed:
        assert (
            signed_in(client, request.getfixturevalue(persona)).get(reverse(url)).status_code == 200
        )
    for persona in refused:
        assert (
            signed_in(client, request.getfixturevalue(persona)).get(reverse(url)).status_code == 403
        )


def test_results_ready_to_claim_lists_what_can_be_claimed_now(client, coordinator, two_families):
    results_run(date(2014, 10, 31))
    page = signed_in(client, coordinator).get(reverse("claims:ready")).content.decode()
    assert "H10001" in page and "£1,500.00" in page
    assert "H10002" in page and "£1,600.00" in page
    assert "£3,100.00 in all" in page


def test_the_forecast_shows_what_a_family_close_to_a_result_would_add(client, finance_officer, db):
    # In work since 2014-09-01: on 2014-10-31, 61 of 91 days, 5 weeks to go.
    working_family("H10005", date(2014, 9, 1))
    results_run(date(2014, 10, 31))
    page = signed_in(client, finance_officer).get(reverse("claims:ready")).content.decode()
    assert "5 more weeks of employment" in page and "£1,600.00" in page
    page = client.get(reverse("claims:income")).content.decode()
    assert "£1,600.00 more from 1 family close to a result" in page


def test_a_finance_officer_adds_a_window_and_builds_its_pack_with_progress(
    client, finance_officer, two_families, django_capture_on_commit_callbacks
):
    client = signed_in(client, finance_officer)
    response = client.post(reverse("claims:window_add"), {"name": "2014-10"})
    assert response.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("claims:pack_build", args=["2014-10"]))
    build = PackBuild.objects.get()
    assert response["Location"] == reverse("claims:build", args=[build.pk])
    status = client.get(reverse("claims:build_status", args=[build.pk])).json()
    assert (status["status"], status["progress"]) == ("succeeded", 100)
    assert client.get(reverse("claims:build", args=[build.pk]))["Location"] == reverse(
        "claims:pack", args=["2014-10"]
    )
    assert ClaimPack.objects.get().claims.count() == 2


def test_a_malformed_window_is_refused_with_an_error_summary(client, finance_officer):
    response = signed_in(client, finance_officer).post(
        reverse("claims:window_add"), {"name": "October"}
    )
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()
    assert not ClaimWindow.objects.exists()


def test_a_window_after_the_programme_is_refused_on_the_page(client, finance_officer):
    response = signed_in(client, finance_officer).post(
        reverse("claims:window_add"), {"name": "2015-06"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "after the programme&#x27;s last payment date" in page
    assert not ClaimWindow.objects.exists()


def test_a_window_still_to_come_cannot_be_built_from_the_page(client, finance_officer, settings):
    ClaimWindow.objects.create(name="2014-10", assess_on=date(2014, 10, 31))
    settings.SERVICE_DATE = date(2014, 10, 15)
    response = signed_in(client, finance_officer).post(
        reverse("claims:pack_build", args=["2014-10"]), follow=True
    )
    assert "its last day must be today or in the past" in response.content.decode()
    assert not PackBuild.objects.exists()


def test_the_pack_page_takes_the_same_queries_however_many_claims(
    client, finance_officer, django_assert_max_num_queries, db
):
    asb_family("H10010")
    window = claim_window_create(name="2014-10")
    client = signed_in(client, finance_officer)
    pack = claim_pack_build(window=window)
    url = reverse("claims:pack", args=["2014-10"])
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    # More claims in the same pack change nothing in the number of queries.
    for n in range(12):
        asb_family(f"H1002{n:02d}")
    more = claim_pack_build(window=claim_window_create(name="2014-11"))
    assert Claim.objects.filter(pack=more).update(pack=pack) == 12
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_the_whole_journey_through_the_pages(
    client, two_families, finance_officer, auditor, coordinator
):
    pack = claim_pack_build(window=claim_window_create(name="2014-10"))
    name = pack.window.name

    signed_in(client, finance_officer)
    claim = pack.claims.get(household__ref="H10001")
    response = client.post(reverse("claims:claim_exclude", args=[claim.claim_ref]), {"reason": ""})
    assert response.status_code == 400  # a reason is needed

    signed_in(client, auditor)
    client.post(reverse("claims:pack_sample", args=[name]), {"percent": "50"})
    check = pack.audit_sample.checks.get()
    client.post(
        reverse("claims:claim_verdict", args=[check.claim.claim_ref]),
        {
            "family_eligible": "True",
            "whole_family_working": "True",
            "result_evidenced": "True",
            "note": "Joint plan seen",
        },
    )
    client.post(reverse("claims:pack_sign_off", args=[name]))

    signed_in(client, coordinator)
    client.post(reverse("claims:pack_approve", args=[name]))

    signed_in(client, finance_officer)
    client.post(reverse("claims:pack_submit", args=[name]))
    pack.refresh_from_db()
    assert pack.status == ClaimPack.Status.SUBMITTED

    response = client.get(reverse("claims:pack_download", args=[name, "csv"]))
    content = b"".join(response.streaming_content)
    assert response["X-Content-SHA256"] == hashlib.sha256(content).hexdigest()
    assert pack.files.get(format="csv", final=True).sha256 == response["X-Content-SHA256"]
    assert AuditEntry.objects.filter(action="download", object_type="claims.packfile").exists()

    client.post(
        reverse("claims:claim_withdraw", args=[claim.claim_ref]),
        {"reason": "Spot check later found no ASB evidence"},
    )
    claim.refresh_from_db()
    assert claim.status == Claim.Status.WITHDRAWN
    assert claim.adjustment.amount == -claim.amount

    response = client.post(
        reverse("claims:pack_paid", args=[name]),
        {"paid_on_0": "1", "paid_on_1": "12", "paid_on_2": "2014"},
    )
    pack.refresh_from_db()
    assert (pack.status, pack.paid_on) == (ClaimPack.Status.PAID, date(2014, 12, 1))


def test_a_refused_step_comes_back_as_an_error_message(client, pack, coordinator):
    response = signed_in(client, coordinator).post(
        reverse("claims:pack_approve", args=["2014-10"]), follow=True
    )
    assert "after internal audit has signed it off" in response.content.decode()
    pack.refresh_from_db()
    assert pack.status == ClaimPack.Status.DRAFT


def test_only_the_auditor_sees_the_verdict_form_and_only_for_sampled_claims(
    client, pack, auditor, finance_officer
):
    sample = audit_sample_draw(pack=pack, drawn_by=auditor, seed=1)
    sampled = sample.checks.get().claim
    page = signed_in(client, auditor).get(reverse("claims:claim", args=[sampled.claim_ref]))
    assert "Record the verdict" in page.content.decode()
    page = signed_in(client, finance_officer).get(reverse("claims:claim", args=[sampled.claim_ref]))
    assert "Record the verdict" not in page.content.decode()
    assert "Exclude from the pack" in page.content.decode()


def test_an_administrator_changes_a_rate_and_the_history_keeps_the_old_one(
    client, administrator, finance_officer
):
    response = signed_in(client, administrator).post(
        reverse("claims:rate_edit", args=[2013]),
        {
            "attachment_fee": "2400",
            "results_element": "1600",
            "crime_asb_education": "1400",
            "progress_to_work": "200",
            "continuous_employment": "1600",
            "reason": "Revised by DCLG letter of 1 May 2013",
        },
    )
    assert response.status_code == 302
    assert RateCard.objects.get(financial_year=2013).crime_asb_education == 1400
    page = signed_in(client, finance_officer).get(reverse("claims:rates")).content.decode()
    assert "Revised by DCLG letter" in page and "crime/ASB/education £1500.00" in page
    assert (
        signed_in(client, finance_officer).get(reverse("claims:rate_edit", args=[2013])).status_code
        == 403
    )


def test_a_rate_above_r_is_refused(client, administrator):
    response = signed_in(client, administrator).post(
        reverse("claims:rate_edit", args=[2013]),
        {
            "attachment_fee": "2400",
            "results_element": "1600",
            "crime_asb_education": "1700",
            "progress_to_work": "100",
            "continuous_employment": "1600",
            "reason": "Typo",
        },
    )
    assert response.status_code == 400
    assert RateCard.objects.get(financial_year=2013).crime_asb_education == 1500


def test_income_shows_fees_five_in_six_and_the_year_two_test(client, coordinator, db):
    client = signed_in(client, coordinator)
    client.post(reverse("claims:income"), {"financial_year": "2012", "families": "150"})
    for n in range(120):
        CaseFileFactory(household=HouseholdFactory(ref=f"H5{n:04d}"), attached_on=date(2012, 6, 1))
    page = client.get(reverse("claims:income")).content.decode()
    assert Commitment.objects.get(financial_year=2012).families == 150
    assert "£400,000.00" in page  # 125 x £3,200
    assert "120 of 150 families committed in year one (80.0%)" in page
    assert "year-two fees paid in full" in page


def test_a_coordinator_enters_the_families_dclg_funds_beside_the_commitment(
    client, coordinator, db
):
    client = signed_in(client, coordinator)
    client.post(
        reverse("claims:income"), {"financial_year": "2012", "families": "133", "funded": "111"}
    )
    assert Commitment.objects.get(financial_year=2012).funded == 111
    page = client.get(reverse("claims:income")).content.decode()
    assert "£355,200.00" in page  # 111 x £3,200, not 110
    targets = client.get(reverse("dashboards:targets")).content.decode()
    assert "Families DCLG funds" in targets
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">111</td>' in targets

    client.post(reverse("claims:income"), {"financial_year": "2012", "families": "133"})
    assert Commitment.objects.get(financial_year=2012).funded is None
    assert "£352,000.00" in client.get(reverse("claims:income")).content.decode()  # 110


def test_funding_more_families_than_committed_is_refused_with_a_message(client, coordinator, db):
    response = signed_in(client, coordinator).post(
        reverse("claims:income"), {"financial_year": "2012", "families": "100", "funded": "101"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert (
        "The number of families DCLG funds must be no more than the families committed to" in page
    )
    assert not Commitment.objects.exists()


RATES_2013 = {
    "attachment_fee": "2400",
    "results_element": "1600",
    "crime_asb_education": "1400",
    "progress_to_work": "200",
    "continuous_employment": "1600",
    "reason": "Revised by DCLG letter of 1 May 2013",
}


def test_rates_are_typed_in_pounds_with_the_pound_sign_or_without(client, administrator):
    form = signed_in(client, administrator).get(reverse("claims:rate_edit", args=[2013]))
    assert '<div class="govuk-input__prefix" aria-hidden="true">£</div>' in form.content.decode()

    response = client.post(
        reverse("claims:rate_edit", args=[2013]),
        {
            **RATES_2013,
            "attachment_fee": "£2,400.00",
            "crime_asb_education": "£1,400",
            "progress_to_work": "£75.50",
        },
    )

    assert response.status_code == 302
    rates = RateCard.objects.get(financial_year=2013)
    assert (rates.attachment_fee, rates.progress_to_work) == (2400, Decimal("75.50"))


def test_a_negative_or_unreadable_rate_is_refused_in_words(client, administrator):
    response = signed_in(client, administrator).post(
        reverse("claims:rate_edit", args=[2013]),
        {
            **RATES_2013,
            "attachment_fee": "-1",
            "results_element": "sixteen hundred",
            "progress_to_work": "75.505",
            "reason": "",
        },
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert 'class="govuk-error-summary"' in page
    for message in (
        "Attachment fee must be £0 or more",
        "Results element R must be an amount of money, like £75.50",
        "Progress to work must be in pounds and pence, like £75.50",
        "Enter why the rates change",
    ):
        assert message in page
    assert "Ensure this value" not in page and "This field is required" not in page


def test_a_payment_date_not_in_the_calendar_must_be_a_real_date(client, pack, finance_officer):
    response = signed_in(client, finance_officer).post(
        reverse("claims:pack_paid", args=["2014-10"]),
        {"paid_on_0": "31", "paid_on_1": "2", "paid_on_2": "2015"},
    )

    assert "Date the claims were paid must be a real date" in response.content.decode()
    pack.refresh_from_db()
    assert pack.paid_on is None
