"""The service navigation: which sections each role reaches from the header."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from accounts.roles import Role, roles_of


@dataclass(frozen=True)
class Section:
    label: str
    url_name: str
    roles: frozenset[Role]


SECTIONS: list[Section] = [
    Section("Home", "accounts:start", frozenset(Role)),
]


def register(label: str, url_name: str, *roles: Role) -> None:
    """Apps add their sections here (from their ``AppConfig.ready``)."""
    SECTIONS.append(Section(label, url_name, frozenset(roles)))


def navigation_for(request) -> list[dict[str, object]]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    mine = roles_of(user)
    items = []
    for section in SECTIONS:
        if not section.roles & mine:
            continue
        try:
            url = reverse(section.url_name)
        except NoReverseMatch:
            continue
        items.append(
            {
                "label": section.label,
                "url": url,
                "current": request.path == url or (url != "/" and request.path.startswith(url)),
            }
        )
    return items
