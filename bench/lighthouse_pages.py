"""One signed-in page per role for bench/lighthouse.sh: a user of each role (made if there is
none) and a session for each, and prints one line per page: role, path, session cookie.

Sessions are made directly, as the sign-in form would leave them, so Lighthouse measures the
page itself rather than the sign-in journey. Run with the same settings as the server.
"""

from __future__ import annotations

import os

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tfp.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.roles import Role  # noqa: E402

# The page each role opens most: its start of the day.
PAGES = {
    Role.KEY_WORKER: "families:caseload",
    Role.COORDINATOR: "dashboards:progress",
    Role.FINANCE_OFFICER: "claims:windows",
    Role.DATA_OFFICER: "families:import_history",
    Role.AUDITOR: "audit:log",
    Role.ADMINISTRATOR: "accounts:start",
}


def session_for(user: User) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def main() -> None:
    print("anonymous", reverse("accounts:login"), "-")
    for role, url_name in PAGES.items():
        # Someone who already holds the role (the demo's users, with their caseloads), or else
        # a user made for the purpose.
        group = Group.objects.get(name=role.label)
        user = group.user_set.filter(is_active=True).order_by("username").first()
        if user is None:
            user = User.objects.create(
                username=f"lighthouse-{role.value}".replace("_", "-"),
                first_name="Lighthouse",
                last_name=role.label,
            )
            user.set_unusable_password()
            user.save()
            user.groups.add(group)
        cookie = f"{settings.SESSION_COOKIE_NAME}={session_for(user)}"
        print(role.value, reverse(url_name), cookie)


if __name__ == "__main__":
    main()
