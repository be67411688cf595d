"""The demo authority: a Harrow-sized borough two and a half years into the programme, on
its service day, 31 October 2014 (``make run`` sets ``SERVICE_DATE``).

Everything is done through the services the pages use: the partners' extracts imported
period by period, the recalculations, the attachments, the casework, the claim windows from
building to payment. Every name, postcode and reference is made up. Passwords are random and
handed back once, to be printed: they are stored nowhere but as Django's password hashes.
"""

from __future__ import annotations

import random
import secrets
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.roles import Role
from accounts.services import user_create
from claims.models import Claim, ClaimPack
from claims.services.internal_audit import (
    audit_check_record,
    audit_sample_draw,
    pack_approve,
    pack_sign_off,
)
from claims.services.packs import (
    claim_exclude,
    claim_pack_build,
    claim_window_create,
    claim_withdraw,
    pack_mark_paid,
    pack_submit,
)
from claims.services.rates import commitment_set
from demo.casework import case_file_work, case_plans, intervention_catalogue
from demo.extracts import split_by_period
from demo.population import generate, household_member, household_ref
from demo.programme import HOUSEHOLDS, programme_families
from families.casefiles import AttachmentRefused, case_file_attach
from families.identification import recalculate_all
from families.imports import extract_import
from families.models import CurrentEligibility, Household, ImportBatch
from outcomes.models import ResultType
from outcomes.services import results_run

# (username, role, first name, last name). The first of each role is the one to try first.
DEMO_USERS = [
    ("demo_coordinator", Role.COORDINATOR, "Claire", "Ashworth"),
    ("demo_keyworker", Role.KEY_WORKER, "Kieran", "Doyle"),
    ("demo_keyworker2", Role.KEY_WORKER, "Kelly", "Mahmood"),
    ("demo_keyworker3", Role.KEY_WORKER, "Kenny", "Adeyemi"),
    ("demo_keyworker4", Role.KEY_WORKER, "Karen", "Fitzgerald"),
    ("demo_finance", Role.FINANCE_OFFICER, "Fiona", "Rahman"),
    ("demo_data_officer", Role.DATA_OFFICER, "Dev", "Chauhan"),
    ("demo_auditor", Role.AUDITOR, "Audrey", "Lindqvist"),
    ("demo_admin", Role.ADMINISTRATOR, "Adam", "Okoro"),
]
# The rest of the key-worker team: colleagues whose caseloads the coordinator sees.
TEAM = [
    ("Sunita", "Varma"), ("Gary", "Holt"), ("Bernadette", "Quinn"), ("Tomasz", "Zielinski"),
    ("Joy", "Boateng"), ("Rebecca", "Hale"), ("Imran", "Sheikh"), ("Louise", "Tranter"),
    ("Marcus", "Bell"), ("Nadia", "Petrova"), ("Owen", "Pritchard"), ("Hannah", "Goldberg"),
    ("Yasmin", "Noor"), ("Patrick", "Egan"), ("Ruth", "Adebayo"), ("Simon", "Kettle"),
]  # fmt: skip
# How much of the open work each key worker carries: a few are over the caseload limit (15),
# two are part-time.
KEY_WORKER_LOAD = [1.7, 1.0, 1.0, 1.6] + [1.0] * 12 + [1.5, 1.5, 0.5, 0.5]
# The demo's day: the service date `make run` sets. The programme's rate card ends in
# 2014/15, so the demo lives in it.
DEMO_DAY = date(2014, 10, 31)
DEFAULT_HOUSEHOLDS = HOUSEHOLDS
# School terms of attendance the schools' extracts hold, back to the spring of 2011/12.
HISTORY_TERMS = 8
# The same seed gives the same families on every machine.
POPULATION_SEED = 2012
# The partners' extracts over the years: what was known at the end of each period.
EXTRACT_DAYS = [
    date(2012, 9, 30),
    date(2013, 3, 31),
    date(2013, 9, 30),
    date(2014, 3, 31),
    DEMO_DAY,
]
COMMITMENTS = {2012: 150, 2013: 198, 2014: 395}
PAID_WINDOWS = {
    "2013-07": date(2013, 9, 20),
    "2014-01": date(2014, 3, 14),
    "2014-07": date(2014, 9, 19),
}
OPEN_WINDOW = "2014-10"


@dataclass
class DemoSeed:
    created: bool
    # username -> (role, password), for printing once.
    passwords: dict[str, tuple[Role, str]] = field(default_factory=dict)
    batches: list[ImportBatch] = field(default_factory=list)
    households_eligible: int = 0
    attached: list[str] = field(default_factory=list)
    packs: list[ClaimPack] = field(default_factory=list)


def demo_seed(
    *,
    households: int = DEFAULT_HOUSEHOLDS,
    reset_passwords: bool = False,
    as_of: date = DEMO_DAY,
) -> DemoSeed:
    """Create the demo authority once; afterwards only reset passwords if asked."""
    User = get_user_model()
    usernames = [username for username, *_ in DEMO_USERS]
    if User.objects.filter(username__in=usernames).exists():
        if not reset_passwords:
            return DemoSeed(created=False)
        return DemoSeed(created=False, passwords=_reset_passwords())
    seeded = DemoSeed(created=True, passwords=_create_users())
    staff = {username: User.objects.get(username=username) for username in usernames}
    rng = random.Random(POPULATION_SEED)
    stories = programme_families(rng, households=households, as_of=as_of)
    seeded.batches = _import_history(
        households=households, stories=stories, as_of=as_of, data_officer=staff["demo_data_officer"]
    )
    seeded.households_eligible = CurrentEligibility.objects.filter(eligible=True).count()
    for year, families in COMMITMENTS.items():
        commitment_set(financial_year=year, families=families, set_by=staff["demo_finance"])
    seeded.attached = _attach_and_work(
        stories=stories, households=households, as_of=as_of, rng=rng, staff=staff
    )
    seeded.packs = _claims(staff=staff)
    results_run(as_of, trigger="demo", started_by=staff["demo_coordinator"])
    claim_window_create(name=OPEN_WINDOW, created_by=staff["demo_finance"])
    return seeded


def _new_password() -> str:
    return secrets.token_urlsafe(18)


@transaction.atomic
def _create_users() -> dict[str, tuple[Role, str]]:
    passwords = {}
    for username, role, first_name, last_name in DEMO_USERS:
        password = _new_password()
        user_create(
            username=username,
            password=password,
            role=role,
            first_name=first_name,
            last_name=last_name,
        )
        passwords[username] = (role, password)
    for first_name, last_name in TEAM:
        # Colleagues who do not sign in to the demo: their password is never shown.
        colleague = user_create(
            username=f"{first_name}.{last_name}".lower(),
            password=_new_password(),
            role=Role.KEY_WORKER,
            first_name=first_name,
            last_name=last_name,
        )
        colleague.set_unusable_password()
        colleague.save(update_fields=["password"])
    return passwords


@transaction.atomic
def _reset_passwords() -> dict[str, tuple[Role, str]]:
    passwords = {}
    users = get_user_model().objects.filter(username__in=[name for name, *_ in DEMO_USERS])
    roles = {username: role for username, role, *_ in DEMO_USERS}
    for user in users.order_by("username"):
        password = _new_password()
        user.set_password(password)
        user.save(update_fields=["password"])
        passwords[user.username] = (roles[user.username], password)
    return passwords


def _import_history(*, households: int, stories, as_of: date, data_officer) -> list[ImportBatch]:
    """The partners' extracts, period by period, each through the import service and followed
    by the recalculation a data officer runs; the last is the current picture."""
    batches = []
    with tempfile.TemporaryDirectory(prefix="tfp-demo-") as directory:
        folder = Path(directory)
        paths = generate(
            folder / "all",
            households=households,
            seed=POPULATION_SEED,
            as_of=as_of,
            terms=HISTORY_TERMS,
            stories=stories,
        )
        for day, files in split_by_period(paths, EXTRACT_DAYS, folder):
            for kind, path in files.items():
                batch = extract_import(kind=kind, path=path, as_of=day, imported_by=data_officer)
                if batch.status != ImportBatch.Status.SUCCEEDED:
                    raise RuntimeError(f"The demo {path.name} was not imported: {batch.errors[:3]}")
                batches.append(batch)
            recalculate_all(as_of=day, trigger="demo", started_by=data_officer)
        # A school's file sent with a mistake in it, refused as a whole: the data officer sees
        # what a rejected import looks like.
        rejected = folder / "attendance-corrections.csv"
        rejected.write_text(
            "person_ref,academic_year,term,possible_sessions,unauthorised_sessions\n"
            f"{household_member(1, households)},2013/14,summer,142,151\n",
            encoding="utf-8",
        )
        batches.append(
            extract_import(kind="attendance", path=rejected, as_of=as_of, imported_by=data_officer)
        )
    return batches


@transaction.atomic
def _attach_and_work(*, stories, households: int, as_of: date, rng: random.Random, staff):
    """Attach the programme families on their days, each to a key worker (open cases by each
    key worker's load), and work their case files; returns the references attached.

    One transaction: the services' own become savepoints, and thousands of commits (each
    waiting for the disk) become one."""
    coordinator = staff["demo_coordinator"]
    key_workers = list(
        get_user_model()
        .objects.filter(groups__name=Role.KEY_WORKER.label)
        .order_by("date_joined", "pk")
    )
    catalogue = intervention_catalogue(coordinator)
    planned = sorted(
        (story.attach_on, household_ref(number, households))
        for number, story in stories.items()
        if story.attached
    )
    found = Household.objects.in_bulk([ref for _, ref in planned], field_name="ref")
    attached = []
    plans = case_plans(rng, [attach_on for attach_on, _ in planned], as_of)
    for (attach_on, ref), plan in zip(planned, plans, strict=True):
        if plan.state in ("closed", "reopened"):
            key_worker = rng.choice(key_workers)
        else:
            key_worker = rng.choices(key_workers, KEY_WORKER_LOAD)[0]
        try:
            case_file = case_file_attach(
                household=found[ref],
                key_worker=key_worker,
                attached_on=attach_on,
                attached_by=coordinator,
            )
        except AttachmentRefused:
            continue
        case_file_work(
            case_file=case_file,
            plan=plan,
            as_of=as_of,
            rng=rng,
            coordinator=coordinator,
            catalogue=catalogue,
        )
        attached.append(ref)
    return attached


def _claims(*, staff) -> list[ClaimPack]:
    """The claim windows already through: each pack built, sampled and checked by internal
    audit, signed off, approved, submitted and paid; in one a claim failed its spot check and
    was excluded, and one paid claim was later withdrawn with its adjustment."""
    finance, auditor = staff["demo_finance"], staff["demo_auditor"]
    packs = []
    for name, paid_on in PAID_WINDOWS.items():
        window = claim_window_create(name=name, created_by=finance)
        pack = claim_pack_build(window=window, built_by=finance)
        if not pack.claims.exists():
            # Only a demo much smaller than the borough has a window with nothing to claim.
            continue
        sample = audit_sample_draw(pack=pack, drawn_by=auditor, seed=POPULATION_SEED)
        for index, check in enumerate(sample.checks.select_related("claim").order_by("pk")):
            passed = not (name == "2014-07" and index == 0)
            audit_check_record(
                check=check,
                checked_by=auditor,
                family_eligible=True,
                whole_family_working=passed,
                result_evidenced=True,
                note="" if passed else "No whole-family assessment on file before the result.",
            )
            if not passed:
                claim_exclude(
                    claim=check.claim,
                    excluded_by=finance,
                    reason="Failed its spot check: no whole-family assessment on file.",
                )
        pack_sign_off(pack=pack, signed_off_by=auditor)
        pack_approve(pack=pack, approved_by=staff["demo_coordinator"])
        pack_submit(pack=pack, submitted_by=finance)
        packs.append(pack_mark_paid(pack=pack, paid_by=finance, paid_on=paid_on))
    withdrawn = (
        Claim.objects.filter(
            pack__window__name="2014-01",
            status=Claim.Status.INCLUDED,
            result=ResultType.CRIME_ASB_EDUCATION,
        )
        .order_by("claim_ref")
        .first()
    )
    if withdrawn is None:
        return packs
    claim_withdraw(
        claim=withdrawn,
        withdrawn_by=finance,
        reason="The school's corrected return shows unauthorised absence above 15% in the "
        "spring term: the result was not achieved.",
    )
    return packs
