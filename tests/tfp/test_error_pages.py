"""The error pages are the service's own: GOV.UK styled, with the header and a way back."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect

from accounts.roles import Role
from tests.browser import assert_accessible, sign_in
from tests.factories import UserFactory

START_LINK = f'<a class="govuk-link" href="{reverse("accounts:start")}">Go to the start page</a>'


def _assert_service_page(response, status: int, heading: str) -> str:
    page = response.content.decode()
    assert response.status_code == status
    assert '<header class="govuk-header"' in page
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in page
    assert f"<title>{heading} – tfp – Demo Borough Council</title>" in page
    assert START_LINK in page
    return page


def test_a_page_that_does_not_exist_is_a_service_page_not_found(client, key_worker):
    client.force_login(key_worker)

    response = client.get("/families/no-such-page/")

    page = _assert_service_page(response, 404, "Page not found")
    assert "check it is correct" in page
    # Signed in, the header keeps its navigation, so the way back is also the menu.
    assert 'class="govuk-service-navigation"' in page


def test_a_page_outside_the_users_role_explains_why_it_cannot_be_seen(client, db):
    client.force_login(UserFactory(role=Role.KEY_WORKER))

    response = client.get(reverse("audit:log"))

    page = _assert_service_page(response, 403, "You cannot see this page")
    assert "ask your administrator" in page


def test_a_request_the_service_cannot_read_is_a_service_page(client, db):
    response = client.get(reverse("accounts:login"), HTTP_HOST="not-this-service.example")

    _assert_service_page(response, 400, "Sorry, there is a problem with the service")


def test_a_form_sent_without_its_token_asks_to_start_again(db, key_worker):
    client = Client(enforce_csrf_checks=True)
    client.force_login(key_worker)

    response = client.post(reverse("accounts:logout"))

    page = _assert_service_page(response, 403, "Sorry, you need to start again")
    assert "What you entered was not saved" in page
    assert "CSRF" not in page


@pytest.mark.urls("tests.tfp.failing_urls")
def test_a_failure_apologises_without_the_technical_detail(db, key_worker):
    client = Client(raise_request_exception=False)
    client.force_login(key_worker)

    response = client.get("/fails/")

    page = _assert_service_page(response, 500, "Sorry, there is a problem with the service")
    assert "Try again later" in page
    assert "the database went away" not in page
    assert "Traceback" not in page


@pytest.mark.browser
@pytest.mark.parametrize(
    ("path", "heading"),
    [("/families/no-such-page/", "Page not found"), ("/audit/", "You cannot see this page")],
)
def test_error_pages_are_accessible(page, live_server, key_worker, path, heading):
    sign_in(page, live_server, key_worker)
    page.goto(live_server.url + path)

    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_accessible(page)
    page.get_by_role("link", name="Go to the start page").click()
    expect(page).to_have_url(live_server.url + reverse("accounts:start"))


def test_page_titles_name_the_page_the_service_and_the_authority(client, key_worker):
    client.force_login(key_worker)

    response = client.get(reverse("accounts:start"))

    assert "<title>Home – tfp – Demo Borough Council</title>" in response.content.decode()
