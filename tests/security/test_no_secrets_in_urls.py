"""Secrets never travel in URLs nor land in the audit log: GET forms carry no CSRF token, and
audit details never keep a token, a password or a session key."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from tests.factories import CaseFileFactory

GET_FORM = re.compile(r"<form\b[^>]*method=\"get\"[^>]*>(.*?)</form>", re.S | re.I)

# Every page with a filter or search form, and who opens it.
FILTER_PAGES = [
    ("audit:log", "coordinator"),
    ("claims:claims", "finance_officer"),
    ("privacy:people", "coordinator"),
    ("casework:caseloads", "coordinator"),
    ("families:identification_list", "coordinator"),
]


@pytest.mark.parametrize(("name", "persona"), FILTER_PAGES)
def test_get_forms_carry_no_csrf_token(client, request, name, persona):
    client.force_login(request.getfixturevalue(persona))
    page = client.get(reverse(name)).content.decode()
    forms = GET_FORM.findall(page)
    assert forms, f"{name} has no GET form"
    assert not any("csrfmiddlewaretoken" in form for form in forms)


def test_the_case_timeline_filter_carries_no_csrf_token(client, coordinator):
    case_file = CaseFileFactory()
    client.force_login(coordinator)
    url = reverse("casework:case_timeline", kwargs={"ref": case_file.household.ref})
    forms = GET_FORM.findall(client.get(url).content.decode())
    assert forms and not any("csrfmiddlewaretoken" in form for form in forms)


SECRET = "s3cr3t-value-that-must-not-be-kept"


@pytest.mark.parametrize(("name", "persona"), FILTER_PAGES)
def test_audit_details_never_keep_a_token_password_or_session_key(client, request, name, persona):
    client.force_login(request.getfixturevalue(persona))
    client.get(
        reverse(name),
        {
            "csrfmiddlewaretoken": SECRET,
            "password": SECRET,
            "sessionid": SECRET,
            "token": SECRET,
        },
    )
    client.post(reverse("accounts:login"), {"username": "nobody", "password": SECRET})
    for entry in AuditEntry.objects.all():
        assert SECRET not in str(entry.details) + entry.path + entry.summary, entry
