"""The pages linkage adds to: the upload's partner system, the import report's linking
summary, and the thresholds an administrator sets."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from playwright.sync_api import expect

from audit.models import AuditEntry
from families import models as fm
from tests.browser import assert_accessible, sign_in
from tests.families.linkage.helpers import import_file, write

SETTINGS = "families:linkage_settings"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def upload(client, content: bytes, **data):
    data = {"file": SimpleUploadedFile("file.csv", content, "text/csv"), **data}
    return client.post(reverse("families:import_upload"), data)


def test_an_identified_file_uploaded_with_its_partner_system_is_linked(
    db, client, data_officer, tmp_path, django_capture_on_commit_callbacks
):
    import_file(
        "people",
        write(
            tmp_path,
            "people.csv",
            "household_ref,person_ref,given_name,family_name,date_of_birth,sex,postcode,upn,nino\n"
            "H1,P1,Ava,Notrealson,1980-01-01,F,ZZ99 1AA,,QQ123456C\n",
        ),
    )
    client.force_login(data_officer)

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(
            client,
            b"source_person_id,given_name,family_name,date_of_birth,nino,benefit,start_date,"
            b"end_date\nD1,Ava,Notrealson,1980-01-01,QQ123456C,JSA,2014-01-01,\n",
            kind="benefits",
            source="dwp",
        )
    batch = fm.ImportBatch.objects.get(kind="benefits")
    assert response.status_code == 302
    assert (batch.status, batch.source) == ("succeeded", "dwp")

    report = client.get(reverse("families:import_report", args=[batch.pk])).content.decode()
    assert "Partner system" in report and "dwp" in report
    assert "Linked: National Insurance number" in report


@pytest.mark.parametrize(
    ("kind", "source", "message"),
    [
        ("benefits", "DWP files", "lowercase letters, digits and"),
        ("people", "dwp", "people files name the council&#x27;s own people"),
    ],
)
def test_a_wrong_partner_system_is_an_error_on_the_upload_page(
    db, client, data_officer, kind, source, message
):
    client.force_login(data_officer)

    response = upload(client, b"x\n1\n", kind=kind, source=source)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not fm.ImportBatch.objects.exists()


@pytest.mark.parametrize("persona", ["data_officer", "coordinator"])
def test_data_officers_and_coordinators_read_the_thresholds_but_cannot_change_them(
    db, client, request, persona
):
    client.force_login(request.getfixturevalue(persona))

    page = client.get(reverse(SETTINGS))
    assert page.status_code == 200
    assert "0.9900" in page.content.decode() and "0.5000" in page.content.decode()
    assert "Change the thresholds" not in page.content.decode()
    refused = client.post(reverse(SETTINGS), {"link_threshold": "0.9", "review_threshold": "0.4"})
    assert refused.status_code == 403
    assert fm.LinkageSettings.current().link_threshold == 0.99


@pytest.mark.parametrize("persona", ["key_worker", "finance_officer", "auditor"])
def test_other_roles_do_not_see_the_linking_settings(db, client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse(SETTINGS)).status_code == 403


def test_an_administrator_changes_the_thresholds_with_an_audit_entry(db, client, administrator):
    client.force_login(administrator)

    response = client.post(
        reverse(SETTINGS), {"link_threshold": "0.995", "review_threshold": "0.6"}
    )

    assert response.status_code == 302
    current = fm.LinkageSettings.current()
    assert (current.link_threshold, current.review_threshold) == (0.995, 0.6)
    entry = AuditEntry.objects.get(object_type="families.linkagesettings")
    assert entry.user == administrator
    assert entry.details["before"] == {"link_threshold": 0.99, "review_threshold": 0.5}


@pytest.mark.parametrize(
    ("link", "review", "message"),
    [
        ("0.9", "0.95", "The review threshold must be at most the link threshold"),
        ("1.5", "0.5", "Link threshold must be 1 or less"),
        ("", "0.5", "Enter the link threshold"),
    ],
)
def test_thresholds_out_of_order_or_range_are_errors(
    db, client, administrator, link, review, message
):
    client.force_login(administrator)

    response = client.post(reverse(SETTINGS), {"link_threshold": link, "review_threshold": review})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not fm.LinkageSettings.objects.exists()


# --- in the browser ----------------------------------------------------------------------------


@pytest.mark.browser
def test_an_administrator_sets_the_thresholds_in_the_browser(page, live_server, administrator):
    sign_in(page, live_server, administrator)
    page.goto(live_server.url + reverse(SETTINGS))
    expect(page.get_by_role("heading", name="Linking settings")).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Review threshold").fill("0.995")
    page.get_by_role("button", name="Save thresholds").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "The review threshold must be at most the link threshold"
    )
    assert_accessible(page)

    page.get_by_label("Review threshold").fill("0.6")
    page.get_by_role("button", name="Save thresholds").click()
    expect(page.get_by_text("Linking thresholds saved")).to_be_visible()
    expect(page.locator(".govuk-summary-list")).to_contain_text("0.6000")


@pytest.mark.browser
def test_an_identified_upload_reads_its_linking_in_the_report(
    page, live_server, data_officer, tmp_path
):
    import_file(
        "people",
        write(
            tmp_path,
            "people.csv",
            "household_ref,person_ref,given_name,family_name,date_of_birth,sex,postcode,upn,nino\n"
            "H1,P1,Ava,Notrealson,1980-01-01,F,ZZ99 1AA,,QQ123456C\n",
        ),
    )
    benefits = write(
        tmp_path,
        "benefits.csv",
        "source_person_id,given_name,family_name,date_of_birth,nino,benefit,start_date,end_date\n"
        "D1,Ava,Notrealson,1980-01-01,QQ123456C,JSA,2014-01-01,\n",
    )
    sign_in(page, live_server, data_officer)
    page.goto(live_server.url + reverse("families:import_upload"))

    page.get_by_label("Out-of-work benefits").check()
    page.get_by_label("Which partner system is it from?").fill("dwp")
    page.get_by_label("Upload a CSV file").set_input_files(str(benefits))
    page.get_by_role("button", name="Upload and import").click()

    expect(page.get_by_role("heading", name="People in the file")).to_be_visible()
    expect(page.locator("body")).to_contain_text("Linked: National Insurance number")
    assert_accessible(page)
