"""Helpers for browser tests: headless Debian Chromium driven by Playwright (sync API).

A browser test looks like this::

    @pytest.mark.browser
    def test_coordinator_sees_the_family_list(page, live_server, coordinator):
        sign_in(page, live_server, coordinator)
        page.goto(f"{live_server.url}/families/")
        assert_accessible(page)

``page`` comes from pytest-playwright; ``tests/conftest.py`` points it at Debian's Chromium.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.urls import reverse
from playwright.sync_api import Page, expect

# Playwright cannot download its own browsers here (no internet), so Debian's package is used.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking"]

# The password every ``tests.factories.UserFactory`` user is given.
PASSWORD = "Correct-horse-battery-1"

AXE_SCRIPT = settings.NODE_MODULES / "axe-core" / "axe.min.js"
FAILING_IMPACTS = ("serious", "critical")


def sign_in(page: Page, live_server, user, password: str = PASSWORD) -> None:
    """Sign ``user`` in through the real sign-in form and wait for the start page."""
    page.goto(live_server.url + reverse("accounts:login"))
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(live_server.url + reverse("accounts:start"))


def assert_accessible(page: Page) -> None:
    """Run axe-core on the page as it is now; fail on any serious or critical violation."""
    # Evaluated rather than added as a <script>: the pages' Content Security Policy refuses
    # inline scripts, which is what Playwright's add_script_tag would insert.
    page.evaluate(AXE_SCRIPT.read_text())
    results = page.evaluate("() => axe.run(document)")
    failures = [v for v in results["violations"] if v["impact"] in FAILING_IMPACTS]
    assert not failures, f"Accessibility violations on {page.url}:\n" + "\n".join(
        _describe(violation) for violation in failures
    )


def _describe(violation: dict) -> str:
    targets = ", ".join(" ".join(map(str, node["target"])) for node in violation["nodes"][:5])
    more = len(violation["nodes"]) - 5
    if more > 0:
        targets += f" (and {more} more)"
    return f"- [{violation['impact']}] {violation['id']}: {violation['help']} — {targets}"
