from __future__ import annotations

import re

import pytest
from django.urls import reverse

from accounts.roles import Role
from accounts.start import SUMMARIES
from tests.factories import UserFactory


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_its_own_panel_on_the_start_page(client, db, role):
    client.force_login(UserFactory(first_name="Pat", last_name="Notreal", role=role))

    response = client.get(reverse("accounts:start"))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Welcome, Pat Notreal" in page
    assert f'id="role-{role.value}">{role.label}</h2>' in page
    assert SUMMARIES[role] in page
    for other in set(Role) - {role}:
        assert f'id="role-{other.value}"' not in page


def test_a_user_with_no_role_is_told_to_ask_an_administrator(client, db):
    client.force_login(UserFactory())

    response = client.get(reverse("accounts:start"))

    assert "Your account has no role yet" in response.content.decode()


def test_the_start_page_needs_sign_in(client, db):
    response = client.get(reverse("accounts:start"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next=/"


def test_the_coordinators_links_are_grouped_as_a_task_list_by_part_of_the_work(client, db):
    client.force_login(UserFactory(role=Role.COORDINATOR))

    page = client.get(reverse("accounts:start")).content.decode()

    headings = re.findall(r'<h3 class="govuk-heading-m"[^>]*>([^<]+)</h3>', page)
    assert headings == [
        "Find families",
        "Work with families",
        "Watch progress",
        "Claim results",
        "Records and data protection",
    ]
    lists = page.split('<ul class="govuk-task-list"')[1:]
    assert len(lists) == len(headings)
    # No group is a wall of links: the longest holds at most a third of them.
    counts = [chunk.split("</ul>")[0].count("govuk-task-list__link") for chunk in lists]
    assert max(counts) <= sum(counts) / 3
    assert f'href="{reverse("families:identification_list")}"' in lists[0]
