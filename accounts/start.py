"""What each role sees first: a short description and, as a GOV.UK task list, the pages they
use most, grouped by the part of the work they belong to."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse

from accounts.roles import Role

# The parts of the work, in the order a family moves through the programme.
FIND, WORK, PROGRESS, CLAIM, RECORDS, ADMINISTER = (
    "Find families",
    "Work with families",
    "Watch progress",
    "Claim results",
    "Records and data protection",
    "Administer the service",
)
GROUPS = (FIND, WORK, PROGRESS, CLAIM, RECORDS, ADMINISTER)


@dataclass
class Group:
    heading: str
    links: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Panel:
    role: Role
    summary: str
    groups: list[Group] = field(default_factory=list)


SUMMARIES = {
    Role.KEY_WORKER: "Work with the families allocated to you: consent, assessment, plan, "
    "interventions, case notes and tasks.",
    Role.COORDINATOR: "Review identified families, confirm them into the cohort, allocate key "
    "workers and watch progress against targets.",
    Role.FINANCE_OFFICER: "Build payment-by-results claim packs for each claim window and "
    "record what was submitted and paid.",
    Role.DATA_OFFICER: "Import partner extracts, read their reports and run the eligibility "
    "recalculation.",
    Role.AUDITOR: "Draw spot-check samples of claims, record verdicts and read the audit log.",
    Role.ADMINISTRATOR: "Manage user accounts, roles and settings.",
}

# (group, label, url name, roles) — apps add their links with ``register``.
LINKS: list[tuple[str, str, str, frozenset[Role]]] = []


def register(label: str, url_name: str, *roles: Role, group: str) -> None:
    if group not in GROUPS:
        raise ValueError(f"{group!r} is not one of the start page's groups")
    LINKS.append((group, label, url_name, frozenset(roles)))


def _links_for(role: Role) -> list[tuple[str, str, str]]:
    links = []
    for group, label, url_name, link_roles in LINKS:
        if role in link_roles:
            try:
                links.append((group, label, reverse(url_name)))
            except NoReverseMatch:
                continue
    if role == Role.ADMINISTRATOR:
        links.append((ADMINISTER, "Users and roles", reverse("accounts:users")))
    return links


def start_panels(user, roles: list[Role]) -> list[Panel]:
    panels = []
    for role in roles:
        links = _links_for(role)
        groups = [
            Group(heading, [(label, url) for group, label, url in links if group == heading])
            for heading in GROUPS
        ]
        panel = Panel(role=role, summary=SUMMARIES[role], groups=[g for g in groups if g.links])
        panels.append(panel)
    return panels
