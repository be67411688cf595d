"""Generated input thrown at every form each role reaches (found by following the links from
the start page, so a new form is covered the day it appears), and at the sign-in form:
whatever is typed, the answer is never a server error."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import CaseNoteFactory, InterventionTypeFactory, TaskFactory

EXAMPLES = 5
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    # The same examples on every CI run (a failure there is never a fluke); new ones locally.
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Forms whose point is to end the session: fuzzing them would stop the crawl, not test it.
SKIP_ACTIONS = ("/sign-out/",)

typed = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            " ",
            "0",
            "-1",
            "99999999999999999999",
            "1e309",
            "NaN",
            "2014-02-30",
            "31/12/2013",
            "=cmd|' /C calc'!A0",
            "<script>alert(1)</script>",
            "\x00",
            "' OR 1=1 --",
            "../../etc",
            "Zoë Ødegård",
            "\u202e",
            "£1,000.00",
        ]
    ),
    st.integers(-(10**12), 10**12).map(str),
    st.text(min_size=1, max_size=2).map(lambda s: s * 3_000),
)


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, list[str]] = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple:
        return (self.method, urlsplit(self.action).path, tuple(sorted(self.fields)))


class Forms(HTMLParser):
    """The forms of a page: each field's name and the values the page offers for it."""

    def __init__(self, page_path: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            action = urljoin(self.page_path, a.get("action") or self.page_path)
            self._form = Form(action=action, method=(a.get("method") or "get").lower())
            self.forms.append(self._form)
        if self._form is None:
            return
        name = a.get("name")
        if tag in ("input", "textarea", "select") and name and name != "csrfmiddlewaretoken":
            if a.get("type") == "file":
                self._form.files.append(name)
                return
            values = self._form.fields.setdefault(name, [])
            if a.get("value"):
                values.append(a["value"])
            if tag == "select":
                self._select = name
        if tag == "option" and self._select and a.get("value"):
            self._form.fields[self._select].append(a["value"])

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        if tag == "select":
            self._select = None


def crawl_forms(client, start: str, limit: int = 80) -> Iterator[Form]:
    seen_pages: set[str] = set()
    seen_forms: set[tuple] = set()
    queue = [start]
    while queue and len(seen_pages) < limit:
        path = queue.pop(0)
        if path in seen_pages:
            continue
        seen_pages.add(path)
        response = client.get(path)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        parser = Forms(path)
        parser.feed(html)
        for form in parser.forms:
            if form.key not in seen_forms and not form.action.endswith(SKIP_ACTIONS):
                seen_forms.add(form.key)
                yield form
        for link in re.findall(r'href="([^"#]+)"', html):
            target = urlsplit(urljoin(path, link))
            if target.netloc or target.path.startswith(("/static/", "/assets/", "/sign-out/")):
                continue
            queue.append(target.path + (f"?{target.query}" if target.query else ""))


def fuzz(client, form: Form) -> None:
    @FUZZ
    @given(data=st.data())
    def submit(data) -> None:
        values = {
            name: data.draw(st.sampled_from(offered) | typed if offered else typed, label=name)
            for name, offered in form.fields.items()
            if data.draw(st.integers(0, 9), label=f"keep {name}")  # now and then left out
        }
        for name in form.files:
            content = data.draw(st.binary(max_size=3_000), label=name)
            values[name] = SimpleUploadedFile("extract.csv", content, "text/csv")
        send = client.post if form.method == "post" else client.get
        # Each try starts from the same data, so a failure found is a failure replayed.
        with transaction.atomic():
            response = send(form.action, values)
            transaction.set_rollback(True)
        assert response.status_code < 500, (form.action, values)

    submit()


@pytest.fixture
def world(case_file, members_seen, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    InterventionTypeFactory(name="Parenting course")
    TaskFactory(case_file=case_file)
    return case_file


@pytest.fixture
def members_seen(case_file):
    note = CaseNoteFactory(case_file=case_file, text="Visited.")
    note.people_seen.set(case_file.household.memberships.values_list("person", flat=True))
    return note


@pytest.mark.parametrize(
    "persona",
    ["coordinator", "key_worker", "data_officer", "finance_officer", "auditor", "administrator"],
)
def test_no_form_a_role_reaches_answers_with_a_server_error(client, request, world, persona):
    client.force_login(request.getfixturevalue(persona))

    forms = list(crawl_forms(client, reverse("accounts:start")))
    assert forms, "the crawl found no form at all"
    for form in forms:
        client.force_login(request.getfixturevalue(persona))
        fuzz(client, form)


def test_a_year_too_large_for_any_calendar_is_a_form_error_not_a_crash(client, world, coordinator):
    client.force_login(coordinator)
    url = reverse("casework:case_assessment_new", args=[world.household.ref])

    response = client.post(
        url, {"assessed_on_0": "1", "assessed_on_1": "1", "assessed_on_2": "2200000000"}
    )

    assert response.status_code == 200
    assert b"Date of the assessment must be a real date" in response.content


def test_a_date_typed_as_spaces_is_a_form_error_not_a_crash(client, data_officer):
    client.force_login(data_officer)

    response = client.post(
        reverse("families:run_recalculate"), {"as_of_0": " ", "as_of_1": "3", "as_of_2": "2014"}
    )

    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content


def test_a_username_longer_than_any_account_is_a_form_error(client):
    response = client.post(reverse("accounts:login"), {"username": "x" * 3000, "password": "y"})

    assert response.status_code == 200
    assert b"govuk-error-summary" in response.content


@FUZZ
@given(username=typed, password=typed)
def test_the_sign_in_form_never_answers_with_a_server_error(client, username, password):
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})

    assert response.status_code in (200, 302, 429)


@pytest.fixture(autouse=True)
def _database(db):
    """Every test here needs the database, the sign-in one included."""
