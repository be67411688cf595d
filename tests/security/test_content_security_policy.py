"""A Content Security Policy with no inline script: the header on every page, and templates
and rendered pages that need nothing the policy forbids (no inline <script>, no event-handler
attributes, no javascript: links, no inline styles)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import CaseNoteFactory

TEMPLATES = sorted(
    path
    for folder in [settings.BASE_DIR / "templates", *settings.BASE_DIR.glob("*/templates")]
    for path in folder.rglob("*.html")
)
# Rendered to PDF by WeasyPrint on the server, never served to a browser: a <style> there is
# not subject to the page's policy.
PDF_ONLY = {"claims/pack_pdf.html"}
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


class InlineCode(HTMLParser):
    """Collects what a strict policy would block in a page or template."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            kind = (attributes.get("type") or "").lower()
            if "src" not in attributes and kind not in DATA_SCRIPT_TYPES:
                self._in_inline_script = True
                self.found.append("an inline <script>")
        if tag == "style":
            self.found.append("a <style> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"an event handler {name}= on <{tag}>")
            if name == "style":
                self.found.append(f"a style= attribute on <{tag}>")
            if name in ("href", "src", "action", "formaction") and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.found.append(f"a javascript: URL on <{tag}>")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False


def inline_code_in(html: str) -> list[str]:
    # Template tags inside attributes would confuse the parser; what matters is the markup.
    parser = InlineCode()
    parser.feed(re.sub(r"{%.*?%}|{{.*?}}", "x", html, flags=re.S))
    return parser.found


def test_the_scanner_finds_what_the_policy_would_block():
    page = (
        '<script>alert(1)</script><script type="application/json">{}</script>'
        '<a href="javascript:go()" onclick="go()">x</a><p style="color:red">y</p>'
        '<script src="/static/ok.js"></script>'
    )
    assert inline_code_in(page) == [
        "an inline <script>",
        "a javascript: URL on <a>",
        "an event handler onclick= on <a>",
        "a style= attribute on <p>",
    ]


@pytest.mark.parametrize(
    "template", TEMPLATES, ids=[str(t.relative_to(settings.BASE_DIR)) for t in TEMPLATES]
)
def test_no_template_needs_inline_code(template):
    if any(template.as_posix().endswith(f"/templates/{pdf}") for pdf in PDF_ONLY):
        pytest.skip("rendered to PDF on the server")
    assert inline_code_in(template.read_text()) == []


def test_pages_carry_a_policy_that_refuses_inline_and_outside_code(client, coordinator):
    client.force_login(coordinator)

    policy = client.get(reverse("accounts:start"))["Content-Security-Policy"]

    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "unsafe" not in policy


def test_the_sign_in_page_has_the_policy_too(client):
    assert "script-src 'self'" in client.get(reverse("accounts:login"))["Content-Security-Policy"]


def crawl(client, start: str, limit: int = 80) -> dict[str, int]:
    """Follow same-site links from ``start`` (GET only), scanning each HTML page."""
    seen: dict[str, int] = {}
    queue = [start]
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen:
            continue
        response = client.get(path)
        seen[path] = response.status_code
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        html = response.content.decode()
        assert inline_code_in(html) == [], path
        for link in re.findall(r'href="([^"#]+)"', html):
            target = urlsplit(urljoin(path, link))
            if (
                target.netloc
                or not target.path.startswith("/")
                or target.path.startswith(("/static/", "/assets/", "/sign-out/"))
            ):
                continue
            queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return seen


@pytest.mark.parametrize(
    "persona",
    ["coordinator", "key_worker", "finance_officer", "data_officer", "auditor", "administrator"],
)
def test_every_page_a_role_reaches_has_no_inline_code_and_no_server_error(
    client, request, persona, case_file
):
    CaseNoteFactory(case_file=case_file, text="Met the family at home.")
    client.force_login(request.getfixturevalue(persona))

    statuses = crawl(client, reverse("accounts:start"))

    assert len(statuses) > 1
    assert not [path for path, status in statuses.items() if status >= 500]
