"""What each role sees first: short descriptions and links to the pages they use most."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import NoReverseMatch, reverse

from accounts.roles import Role


@dataclass
class Panel:
    role: Role
    summary: str
    links: list[tuple[str, str]] = field(default_factory=list)


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

# (label, url name, roles) — apps add their links with ``register``.
LINKS: list[tuple[str, str, frozenset[Role]]] = []


def register(label: str, url_name: str, *roles: Role) -> None:
    LINKS.append((label, url_name, frozenset(roles)))


def start_panels(user, roles: list[Role]) -> list[Panel]:
    panels = []
    for role in roles:
        panel = Panel(role=role, summary=SUMMARIES[role])
        for label, url_name, link_roles in LINKS:
            if role in link_roles:
                try:
                    panel.links.append((label, reverse(url_name)))
                except NoReverseMatch:
                    continue
        if role == Role.ADMINISTRATOR:
            panel.links.append(("Users and roles", reverse("admin:accounts_user_changelist")))
        panels.append(panel)
    return panels
