"""The finance pages: results ready to claim, windows and packs, the claims table, audit,
sign-off and submission, downloads, the rate card, and income against the programme maximum.

Views are thin: the form checks shape, the service decides and records, the view redirects.
"""

from __future__ import annotations

from functools import wraps
from io import BytesIO

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.decorators import roles_required
from accounts.roles import Role, has_role
from claims import selectors, services
from claims.forms import (
    ClaimFilterForm,
    CommitmentForm,
    ExcludeForm,
    PaidForm,
    RateCardForm,
    SampleForm,
    VerdictForm,
    WindowForm,
    WithdrawForm,
)
from claims.models import (
    AuditCheck,
    AuditSample,
    Claim,
    ClaimPack,
    ClaimWindow,
    PackBuild,
    PackFile,
    RateCard,
)
from claims.tasks import build_pack
from outcomes.models import ResultType
from outcomes.selectors import current_run
from tfp.pagination import pagination

PAGE_SIZE = 50
FINANCE = (Role.FINANCE_OFFICER,)
SEES_CLAIMS = (Role.FINANCE_OFFICER, Role.AUDITOR, Role.COORDINATOR)
SEES_RATES = (Role.FINANCE_OFFICER, Role.AUDITOR, Role.COORDINATOR, Role.ADMINISTRATOR)


def refusals_to_messages(view):
    """A refused action goes back where it came from with the reason as an error message."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except services.ClaimRefused as refusal:
            messages.error(request, str(refusal))
            back = request.META.get("HTTP_REFERER", "")
            if not url_has_allowed_host_and_scheme(
                back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                back = reverse("claims:windows")
            return redirect(back)

    return wrapped


def _pack(name: str) -> ClaimPack:
    return get_object_or_404(ClaimPack.objects.select_related("window"), window__name=name)


def _claim(claim_ref: str) -> Claim:
    return get_object_or_404(
        Claim.objects.select_related("household", "pack__window", "case_file"),
        claim_ref=claim_ref,
    )


# --- Results ready to claim ----------------------------------------------------------------------


@require_GET
@roles_required(Role.COORDINATOR, Role.FINANCE_OFFICER)
def ready(request):
    run = current_run()
    families = selectors.ready_to_claim(run)
    page = Paginator(families, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "claims/ready.html",
        {
            "run": run,
            "page": page,
            "pagination": pagination(page, request.GET),
            "total": sum(family.amount for family in families),
            "forecast": selectors.forecast(run),
        },
    )


# --- Windows, building and packs -----------------------------------------------------------------


@require_GET
@roles_required(*SEES_CLAIMS)
def windows(request):
    packs = {pack.window_id: pack for pack in selectors.packs_overview()}
    return render(
        request,
        "claims/windows.html",
        {
            "rows": [(window, packs.get(window.pk)) for window in ClaimWindow.objects.all()],
            "form": WindowForm() if has_role(request.user, *FINANCE) else None,
        },
    )


@require_POST
@roles_required(*FINANCE)
def window_add(request):
    form = WindowForm(request.POST)
    if not form.is_valid():
        packs = {pack.window_id: pack for pack in selectors.packs_overview()}
        return render(
            request,
            "claims/windows.html",
            {
                "rows": [(w, packs.get(w.pk)) for w in ClaimWindow.objects.all()],
                "form": form,
            },
            status=400,
        )
    window = services.claim_window_create(name=form.cleaned_data["name"], created_by=request.user)
    messages.success(request, f"Claim window {window.name} added.")
    return redirect("claims:windows")


@require_POST
@roles_required(*FINANCE)
@refusals_to_messages
def pack_build_view(request, name: str):
    window = get_object_or_404(ClaimWindow, name=name)
    if hasattr(window, "pack"):
        return redirect("claims:pack", name=name)
    build = services.pack_build_start(window=window, requested_by=request.user)
    transaction.on_commit(lambda: build_pack.delay(build.pk))
    return redirect("claims:build", pk=build.pk)


@require_GET
@roles_required(*SEES_CLAIMS)
def build_progress(request, pk: int):
    build = get_object_or_404(PackBuild.objects.select_related("window"), pk=pk)
    if build.status == PackBuild.Status.SUCCEEDED:
        messages.success(request, f"Claim pack {build.window.name} built.")
        return redirect("claims:pack", name=build.window.name)
    return render(request, "claims/build.html", {"build": build})


@require_GET
@roles_required(*SEES_CLAIMS)
def build_status(request, pk: int):
    build = get_object_or_404(PackBuild.objects.select_related("window"), pk=pk)
    return JsonResponse(
        {
            "status": build.status,
            "progress": build.progress,
            "step": build.step,
            "pack_url": reverse("claims:pack", args=[build.window.name])
            if build.status == PackBuild.Status.SUCCEEDED
            else None,
        }
    )


@require_GET
@roles_required(*SEES_CLAIMS)
def pack_detail(request, name: str):
    pack = _pack(name)
    by_result, total = selectors.pack_totals(pack)
    filters = ClaimFilterForm(request.GET, with_window=False)
    claims = selectors.claims_table(window=name, **filters.filters())
    page = Paginator(claims, PAGE_SIZE).get_page(request.GET.get("page"))
    sample = AuditSample.objects.filter(pack=pack).first()
    checks = list(sample.checks.select_related("claim__household")) if sample else []
    user = request.user
    is_draft = pack.status == ClaimPack.Status.DRAFT
    return render(
        request,
        "claims/pack.html",
        {
            "pack": pack,
            "by_result": by_result,
            "total": total,
            "filters": filters,
            "page": page,
            "pagination": pagination(page, request.GET),
            "sample": sample,
            "checks": checks,
            "checks_done": sum(1 for check in checks if check.is_done),
            "files": pack.files.filter(final=True),
            "formats": PackFile.Format.choices,
            "can_sample": is_draft and sample is None and has_role(user, Role.AUDITOR),
            "sample_form": SampleForm(),
            "can_sign_off": is_draft and sample is not None and has_role(user, Role.AUDITOR),
            "can_approve": pack.status == ClaimPack.Status.SIGNED_OFF
            and has_role(user, Role.COORDINATOR),
            "can_submit": pack.status == ClaimPack.Status.APPROVED and has_role(user, *FINANCE),
            "can_record_payment": pack.status == ClaimPack.Status.SUBMITTED
            and has_role(user, *FINANCE),
        },
    )


@require_POST
@roles_required(Role.AUDITOR)
@refusals_to_messages
def pack_sample(request, name: str):
    pack = _pack(name)
    form = SampleForm(request.POST)
    if not form.is_valid():
        raise services.ClaimRefused("The sample is between 1% and 100% of the claims.")
    sample = services.audit_sample_draw(
        pack=pack, drawn_by=request.user, percent=form.cleaned_data["percent"]
    )
    messages.success(request, f"{sample.checks.count()} claims drawn for spot checks.")
    return redirect("claims:pack", name=name)


@require_POST
@roles_required(Role.AUDITOR)
@refusals_to_messages
def pack_sign_off(request, name: str):
    services.pack_sign_off(pack=_pack(name), signed_off_by=request.user)
    messages.success(request, f"Claim pack {name} signed off by internal audit.")
    return redirect("claims:pack", name=name)


@require_POST
@roles_required(Role.COORDINATOR)
@refusals_to_messages
def pack_approve(request, name: str):
    services.pack_approve(pack=_pack(name), approved_by=request.user)
    messages.success(request, f"Claim pack {name} approved.")
    return redirect("claims:pack", name=name)


@require_POST
@roles_required(*FINANCE)
@refusals_to_messages
def pack_submit(request, name: str):
    services.pack_submit(pack=_pack(name), submitted_by=request.user)
    messages.success(request, f"Claim pack {name} submitted. Its files are now final.")
    return redirect("claims:pack", name=name)


@require_http_methods(["GET", "POST"])
@roles_required(*FINANCE)
@refusals_to_messages
def pack_paid(request, name: str):
    pack = _pack(name)
    form = PaidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.pack_mark_paid(
            pack=pack, paid_by=request.user, paid_on=form.cleaned_data["paid_on"]
        )
        messages.success(request, f"Payment of claim pack {name} recorded.")
        return redirect("claims:pack", name=name)
    return render(
        request,
        "claims/form.html",
        {"form": form, "title": f"Record payment of claim pack {name}", "back": pack},
        status=400 if form.errors else 200,
    )


@require_GET
@roles_required(*SEES_CLAIMS)
def pack_download(request, name: str, fmt: str):
    if fmt not in PackFile.Format.values:
        raise Http404("No such format.")
    pack_file = services.pack_file_get(
        pack=_pack(name), fmt=fmt, user=request.user, request=request
    )
    content_types = {
        "csv": "text/csv; charset=utf-8",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pdf": "application/pdf",
    }
    response = FileResponse(
        BytesIO(bytes(pack_file.content)),
        as_attachment=True,
        filename=pack_file.filename,
        content_type=content_types[fmt],
    )
    response["X-Content-SHA256"] = pack_file.sha256
    return response


# --- Claims --------------------------------------------------------------------------------------


@require_GET
@roles_required(*SEES_CLAIMS)
def claims_list(request):
    filters = ClaimFilterForm(request.GET)
    claims = selectors.claims_table(**filters.filters())
    page = Paginator(claims, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "claims/claims.html",
        {"filters": filters, "page": page, "pagination": pagination(page, request.GET)},
    )


@require_GET
@roles_required(*SEES_CLAIMS)
def claim_detail(request, claim_ref: str):
    claim = _claim(claim_ref)
    return _claim_page(request, claim)


def _claim_page(request, claim: Claim, *, status: int = 200, **forms):
    user = request.user
    pack = claim.pack
    check = AuditCheck.objects.filter(claim=claim).select_related("sample").first()
    live = claim.status == Claim.Status.INCLUDED
    can_exclude = live and pack.status == ClaimPack.Status.DRAFT and has_role(user, *FINANCE)
    can_withdraw = live and pack.is_frozen and has_role(user, *FINANCE)
    can_check = (
        check is not None and pack.status == ClaimPack.Status.DRAFT and has_role(user, Role.AUDITOR)
    )
    # As ``households_sampled_for`` has it: the auditor who drew the sample, until sign-off.
    reads_case_file = can_check and check.sample.drawn_by_id == user.pk
    return render(
        request,
        "claims/claim.html",
        {
            "claim": claim,
            "pack": pack,
            "check": check,
            "reads_case_file": reads_case_file,
            "adjustment": getattr(claim, "adjustment", None) if not live else None,
            "other_reasons": [
                (ResultType(result).label, reason)
                for result, reason in claim.evidence.get("reasons", {}).items()
                if result != claim.result
            ],
            "exclude_form": forms.get("exclude_form") or (ExcludeForm() if can_exclude else None),
            "withdraw_form": forms.get("withdraw_form")
            or (WithdrawForm() if can_withdraw else None),
            "verdict_form": forms.get("verdict_form")
            or (
                VerdictForm(
                    initial={
                        "family_eligible": check.family_eligible,
                        "whole_family_working": check.whole_family_working,
                        "result_evidenced": check.result_evidenced,
                        "note": check.note,
                    }
                    if check and check.is_done
                    else None
                )
                if can_check
                else None
            ),
        },
        status=status,
    )


@require_POST
@roles_required(*FINANCE)
@refusals_to_messages
def claim_exclude(request, claim_ref: str):
    claim = _claim(claim_ref)
    form = ExcludeForm(request.POST)
    if not form.is_valid():
        return _claim_page(request, claim, status=400, exclude_form=form)
    services.claim_exclude(
        claim=claim, excluded_by=request.user, reason=form.cleaned_data["reason"]
    )
    messages.success(request, f"Claim {claim_ref} excluded from the pack.")
    return redirect("claims:pack", name=claim.pack.window.name)


@require_POST
@roles_required(*FINANCE)
@refusals_to_messages
def claim_withdraw(request, claim_ref: str):
    claim = _claim(claim_ref)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        return _claim_page(request, claim, status=400, withdraw_form=form)
    services.claim_withdraw(
        claim=claim, withdrawn_by=request.user, reason=form.cleaned_data["reason"]
    )
    messages.success(request, f"Claim {claim_ref} withdrawn; £{claim.amount} to be returned.")
    return redirect("claims:claim", claim_ref=claim_ref)


@require_POST
@roles_required(Role.AUDITOR)
@refusals_to_messages
def claim_verdict(request, claim_ref: str):
    claim = _claim(claim_ref)
    check = get_object_or_404(AuditCheck.objects.select_related("sample__pack"), claim=claim)
    form = VerdictForm(request.POST)
    if not form.is_valid():
        return _claim_page(request, claim, status=400, verdict_form=form)
    services.audit_check_record(check=check, checked_by=request.user, **form.cleaned_data)
    messages.success(request, f"Verdict on {claim_ref} recorded.")
    return redirect("claims:pack", name=claim.pack.window.name)


# --- Rate card and income ------------------------------------------------------------------------


@require_GET
@roles_required(*SEES_RATES)
def rates(request):
    cards = RateCard.objects.prefetch_related("changes__changed_by")
    return render(
        request,
        "claims/rates.html",
        {"cards": cards, "can_edit": has_role(request.user, Role.ADMINISTRATOR)},
    )


@require_http_methods(["GET", "POST"])
@roles_required(Role.ADMINISTRATOR)
@refusals_to_messages
def rate_edit(request, year: int):
    card = get_object_or_404(RateCard, financial_year=year)
    form = RateCardForm(
        request.POST or None, initial={n: getattr(card, n) for n in card.AMOUNT_FIELDS}
    )
    if request.method == "POST" and form.is_valid():
        services.rate_card_update(
            rate_card=card,
            changed_by=request.user,
            reason=form.cleaned_data["reason"],
            amounts={name: form.cleaned_data[name] for name in RateCard.AMOUNT_FIELDS},
        )
        messages.success(request, f"Rates for families attached in {card.label} saved.")
        return redirect("claims:rates")
    return render(
        request,
        "claims/form.html",
        {"form": form, "title": f"Change the rates for {card.label}", "back_url": "claims:rates"},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@roles_required(Role.FINANCE_OFFICER, Role.COORDINATOR)
def income(request):
    form = CommitmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.commitment_set(set_by=request.user, **form.cleaned_data)
        messages.success(request, "Commitment saved.")
        return redirect("claims:income")
    forecast = selectors.forecast(current_run())
    return render(
        request,
        "claims/income.html",
        {
            "income": selectors.income(),
            "form": form,
            "forecast_total": sum(line.amount for line in forecast),
            "forecast_families": len({line.ref for line in forecast}),
        },
        status=400 if form.errors else 200,
    )
