"""Nothing that shows a family, a person or a claim is kept by a browser's or a proxy's cache."""

from __future__ import annotations

import pytest
from django.urls import reverse

from families.models import Person


@pytest.fixture
def person(case_file):
    return Person.objects.filter(memberships__household=case_file.household).order_by("pk").first()


def pages(case_file, person) -> list[str]:
    ref = case_file.household.ref
    return [
        reverse("casework:case_file", kwargs={"ref": ref}),
        reverse("casework:caseloads"),
        reverse("families:identification_list"),
        reverse("families:identification_export"),
        reverse("privacy:people") + f"?q={person.family_name}",
        reverse("privacy:person", args=[person.ref]),
        reverse("privacy:person_export", args=[person.ref]),
        reverse("claims:claims"),
        reverse("audit:log"),
    ]


def test_every_page_and_download_showing_families_people_or_claims_is_no_store(
    client, case_file, person, coordinator
):
    client.force_login(coordinator)
    for url in pages(case_file, person):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "no-store", url
