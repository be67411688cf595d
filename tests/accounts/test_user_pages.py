"""Users and roles are managed on the service's own pages by administrators: every grant and
removal is a typed audit entry, nobody changes their own account, nobody sets another
person's password, and Django's admin is for superusers only."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts.roles import Role, roles_of
from accounts.second_factor import second_factor_required
from audit.models import AuditEntry
from tests.factories import UserFactory

USERS = reverse("accounts:users")
ADD = reverse("accounts:user_add")
NEW_PASSWORD = "Sunlit-meadow-walk-42"


def detail(user) -> str:
    return reverse("accounts:user_detail", kwargs={"user_id": user.pk})


def events(action: str, user) -> list[dict]:
    return list(
        AuditEntry.objects.filter(action=action, object_id=str(user.pk))
        .order_by("pk")
        .values_list("details", flat=True)
    )


def sign_in_link(response) -> str:
    match = re.search(r"https?://[^/]+(/sign-in/link/[^<\s]+)", response.content.decode())
    assert match, "the page shows no sign-in link"
    return match.group(1)


def test_administrators_list_every_user_with_their_roles(client, administrator, key_worker):
    client.force_login(administrator)
    response = client.get(USERS)
    assert response.status_code == 200
    assert b"kim" in response.content and b"Key worker" in response.content


def test_an_added_user_has_no_password_until_they_choose_one_from_their_link(client, administrator):
    client.force_login(administrator)
    response = client.post(
        ADD,
        {
            "username": "nadia",
            "first_name": "Nadia",
            "last_name": "Notreal",
            "email": "",
            "roles": [Role.KEY_WORKER.value],
        },
    )
    nadia = get_user_model().objects.get(username="nadia")
    assert roles_of(nadia) == {Role.KEY_WORKER}
    assert not nadia.has_usable_password()
    assert events(AuditEntry.Action.ROLE_GRANTED, nadia) == [
        {"username": "nadia", "role": "key_worker", "sees_case_files": True}
    ]
    link = sign_in_link(response)
    client.logout()

    chosen = client.post(
        client.get(link, follow=True).redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert chosen.status_code == 302
    assert client.login(username="nadia", password=NEW_PASSWORD)
    assert AuditEntry.objects.filter(
        user=nadia, summary="nadia chose a password from a sign-in link"
    ).exists()
    client.logout()
    again = client.get(link, follow=True)
    assert b"This sign-in link no longer works" in again.content


def test_every_grant_and_removal_of_a_role_is_its_own_audit_entry(
    client, administrator, key_worker
):
    client.force_login(administrator)
    client.post(detail(key_worker), {"roles": [Role.COORDINATOR.value, Role.AUDITOR.value]})
    assert roles_of(get_user_model().objects.get(pk=key_worker.pk)) == {
        Role.COORDINATOR,
        Role.AUDITOR,
    }
    granted = [event["role"] for event in events(AuditEntry.Action.ROLE_GRANTED, key_worker)]
    removed = [event["role"] for event in events(AuditEntry.Action.ROLE_REMOVED, key_worker)]
    assert (granted, removed) == (["coordinator", "auditor"], ["key_worker"])
    assert (
        AuditEntry.objects.filter(
            action=AuditEntry.Action.ROLE_GRANTED, user=administrator, object_id=str(key_worker.pk)
        ).count()
        == 2
    )


def test_nobody_changes_their_own_roles_or_second_factor(client, administrator):
    client.force_login(administrator)
    page = client.get(detail(administrator))
    assert b"Another administrator must change your roles" in page.content
    response = client.post(
        detail(administrator),
        {"roles": [Role.ADMINISTRATOR.value, Role.COORDINATOR.value]},
    )
    assert response.status_code == 403
    assert roles_of(get_user_model().objects.get(pk=administrator.pk)) == {Role.ADMINISTRATOR}
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.ROLE_GRANTED).exists()
    for url in ("accounts:user_active", "accounts:user_sign_in_link"):
        refused = client.post(reverse(url, kwargs={"user_id": administrator.pk}))
        assert refused.status_code == 403


def test_superuser_is_not_grantable_from_the_service(client, administrator, key_worker):
    client.force_login(administrator)
    client.post(
        detail(key_worker),
        {"roles": [Role.KEY_WORKER.value], "is_superuser": "on", "is_staff": "on"},
    )
    key_worker.refresh_from_db()
    assert not key_worker.is_superuser and not key_worker.is_staff


def test_an_administrator_requires_a_second_factor_of_one_person(client, administrator, key_worker):
    client.force_login(administrator)
    client.post(
        detail(key_worker), {"roles": [Role.KEY_WORKER.value], "second_factor_required": "on"}
    )
    key_worker.refresh_from_db()
    assert second_factor_required(key_worker)
    assert events(AuditEntry.Action.CHANGE, key_worker) == [
        {"username": "kim", "second_factor_required": True}
    ]


def test_a_deactivated_user_is_signed_out_and_it_is_audited(client, administrator, key_worker):
    client.force_login(key_worker)
    assert client.get(reverse("accounts:start")).status_code == 200
    client.force_login(administrator)
    client.post(reverse("accounts:user_active", kwargs={"user_id": key_worker.pk}))
    key_worker.refresh_from_db()
    assert not key_worker.is_active
    assert events(AuditEntry.Action.CHANGE, key_worker) == [{"username": "kim", "is_active": False}]


def test_administrators_never_set_a_password_they_issue_a_link(client, administrator, key_worker):
    client.force_login(administrator)
    response = client.post(reverse("accounts:user_sign_in_link", kwargs={"user_id": key_worker.pk}))
    assert sign_in_link(response)
    key_worker.refresh_from_db()
    assert key_worker.check_password("Correct-horse-battery-1")
    assert AuditEntry.objects.filter(
        user=administrator, summary="Issued a one-time sign-in link to kim"
    ).exists()


def test_coordinators_see_each_grant_of_a_role_that_sees_case_files(
    client, administrator, coordinator, finance_officer
):
    newcomer = UserFactory(username="newt")
    client.force_login(administrator)
    client.post(detail(newcomer), {"roles": [Role.AUDITOR.value]})
    client.post(detail(finance_officer), {"roles": [Role.FINANCE_OFFICER.value, "data_officer"]})
    client.force_login(coordinator)
    page = client.get(reverse("accounts:case_file_grants")).content.decode()
    assert "Granted the auditor role to newt" in page
    assert "data officer" not in page


@pytest.mark.parametrize(
    "url",
    [
        "/admin/",
        "/admin/accounts/user/",
        "/admin/auth/group/",
    ],
)
def test_djangos_admin_is_for_superusers_only(client, administrator, url):
    administrator.is_staff = True
    administrator.save()
    client.force_login(administrator)
    assert client.get(url).status_code == 302


def test_even_a_superuser_cannot_change_users_or_passwords_in_djangos_admin(client, key_worker):
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    assert client.get("/admin/accounts/user/").status_code == 200
    change = f"/admin/accounts/user/{key_worker.pk}/change/"
    assert b'name="groups"' not in client.get(change).content
    assert client.post(change, {"is_superuser": "on"}).status_code == 403
    password = f"/admin/accounts/user/{key_worker.pk}/password/"
    assert client.post(password, {"password1": "x" * 20, "password2": "x" * 20}).status_code == 403
