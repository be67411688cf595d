"""Consent pages: the family's consents, recording one, and its withdrawal."""

from __future__ import annotations

from casework import forms
from casework.models import Consent
from casework.selectors import members_on
from casework.services.consent import consent_record, consent_withdraw
from casework.views.common import case_object, casework_page, render_case, render_form, submitted
from families.models import CaseFile
from tfp import clock


@casework_page("consent")
def consent_list(request, case_file: CaseFile):
    consents = case_file.consents.select_related("given_by", "recorded_by")
    return render_case(
        request, case_file, "casework/consent.html", "case_consent", consents=consents
    )


@casework_page("the consent form", form_page=True, methods=("GET", "POST"))
def consent_new(request, case_file: CaseFile):
    members = members_on(household=case_file.household, day=clock.today())
    form = forms.ConsentForm(request.POST or None, members=members)
    if back := submitted(
        request,
        form,
        lambda data: consent_record(
            case_file=case_file,
            given_by=data["given_by"],
            working_together="working_together" in data["purposes"],
            share_information="share_information" in data["purposes"],
            named_partners=data["named_partners"],
            given_on=data["given_on"],
            method=data["method"],
            by=request.user,
            request=request,
        ),
        done="Consent recorded",
        back_to=(case_file.household, "case_consent"),
    ):
        return back
    return render_form(request, case_file, "case_consent", form, title="Record consent")


@casework_page("the consent withdrawal form", form_page=True, methods=("GET", "POST"))
def consent_withdraw_view(request, case_file: CaseFile, consent_id: int):
    consent = case_object(
        request, case_file, Consent.objects.select_related("given_by"), consent_id
    )
    form = forms.ConsentWithdrawForm(request.POST or None)
    if back := submitted(
        request,
        form,
        lambda data: consent_withdraw(
            consent=consent,
            withdrawn_on=data["withdrawn_on"],
            reason=data["reason"],
            by=request.user,
            request=request,
        ),
        done="Consent withdrawn: the case is paused",
        back_to=(case_file.household, "case_consent"),
    ):
        return back
    return render_form(
        request,
        case_file,
        "case_consent",
        form,
        title=f"Consent withdrawn by {consent.given_by}",
        intro="Withdrawing consent pauses the case: work stops until consent is given again.",
    )
