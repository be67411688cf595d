"""Demo data: one user per role and a synthetic population, loaded the way real extracts are.

Every name is made up. Passwords are random and handed back once, to be printed: they are
stored nowhere but as Django's password hashes.
"""

from __future__ import annotations

import secrets
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.roles import Role
from accounts.services import user_create
from demo.casework import seed_case_files
from demo.population import KINDS, generate
from families.casefiles import AttachmentRefused, case_file_attach
from families.identification import recalculate_all
from families.imports import extract_import
from families.models import CurrentEligibility, Household, ImportBatch
from tfp import clock

# (username, role, first name, last name)
DEMO_USERS = [
    ("demo_coordinator", Role.COORDINATOR, "Cora", "Demoford"),
    ("demo_keyworker", Role.KEY_WORKER, "Kit", "Demoford"),
    ("demo_keyworker2", Role.KEY_WORKER, "Kelly", "Sampleton"),
    ("demo_keyworker3", Role.KEY_WORKER, "Ken", "Mockridge"),
    ("demo_keyworker4", Role.KEY_WORKER, "Kara", "Fakehurst"),
    ("demo_finance", Role.FINANCE_OFFICER, "Finn", "Demoford"),
    ("demo_data_officer", Role.DATA_OFFICER, "Dee", "Demoford"),
    ("demo_auditor", Role.AUDITOR, "Audra", "Demoford"),
    ("demo_admin", Role.ADMINISTRATOR, "Adi", "Demoford"),
]
DEFAULT_HOUSEHOLDS = 400
# The same seed gives the same families on every machine.
POPULATION_SEED = 2012
FAMILIES_PER_KEY_WORKER = 3


@dataclass
class DemoSeed:
    created: bool
    # username -> (role, password), for printing once.
    passwords: dict[str, tuple[Role, str]] = field(default_factory=dict)
    batches: list[ImportBatch] = field(default_factory=list)
    households_eligible: int = 0
    attached: list[str] = field(default_factory=list)


def demo_seed(
    *,
    households: int = DEFAULT_HOUSEHOLDS,
    reset_passwords: bool = False,
    as_of: date | None = None,
) -> DemoSeed:
    """Create the demo users and population once; afterwards only reset passwords if asked."""
    User = get_user_model()
    usernames = [username for username, *_ in DEMO_USERS]
    if User.objects.filter(username__in=usernames).exists():
        if not reset_passwords:
            return DemoSeed(created=False)
        return DemoSeed(created=False, passwords=_reset_passwords())
    as_of = as_of or clock.today()
    seeded = DemoSeed(created=True, passwords=_create_users())
    data_officer = User.objects.get(username="demo_data_officer")
    seeded.batches = _load_population(households=households, as_of=as_of, imported_by=data_officer)
    run = recalculate_all(as_of=as_of, trigger="demo", started_by=data_officer)
    seeded.households_eligible = run.households_eligible
    seeded.attached = _attach_some_families(as_of=as_of)
    seed_case_files(as_of=as_of)
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


def _load_population(*, households: int, as_of: date, imported_by) -> list[ImportBatch]:
    """Generate the extracts and import each through the same service as real ones."""
    batches = []
    with tempfile.TemporaryDirectory(prefix="tfp-demo-") as directory:
        paths = generate(Path(directory), households=households, seed=POPULATION_SEED, as_of=as_of)
        for kind in KINDS:
            batch = extract_import(
                kind=kind, path=paths[kind], as_of=as_of, imported_by=imported_by
            )
            if batch.status != ImportBatch.Status.SUCCEEDED:
                raise RuntimeError(f"The demo {kind} extract was not imported: {batch.errors[:3]}")
            batches.append(batch)
    return batches


def _attach_some_families(*, as_of: date) -> list[str]:
    """Give each demo key worker a few eligible families, so case files have something in."""
    User = get_user_model()
    key_workers = list(
        User.objects.filter(
            username__in=[name for name, role, *_ in DEMO_USERS if role == Role.KEY_WORKER]
        ).order_by("username")
    )
    eligible = Household.objects.filter(
        pk__in=CurrentEligibility.objects.filter(eligible=True).values("household")
    ).order_by("ref")
    # Half stay unattached, for the coordinator to confirm into the cohort.
    wanted = min(eligible.count() // 2, len(key_workers) * FAMILIES_PER_KEY_WORKER)
    coordinator = User.objects.get(username="demo_coordinator")
    attached = []
    for index, household in enumerate(eligible[:wanted]):
        try:
            case_file_attach(
                household=household,
                key_worker=key_workers[index % len(key_workers)],
                attached_on=as_of,
                attached_by=coordinator,
            )
        except AttachmentRefused:
            continue
        attached.append(household.ref)
    return attached
