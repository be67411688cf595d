"""The imports pages: upload, progress, report, history (data officers and coordinators)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from playwright.sync_api import expect

from families import models as fm
from families.tasks import import_file
from tests.browser import assert_accessible, sign_in
from tests.examples import EXAMPLES
from tests.factories import ImportBatchFactory

PEOPLE = (
    b"household_ref,person_ref,given_name,family_name,date_of_birth,sex,postcode\n"
    b"H1,P1,Ava,Notrealson,1980-01-01,F,ZZ99 1AA\n"
    b"H1,P2,Leo,Notrealson,2005-05-05,M,ZZ99 1AA\n"
)
BAD_PEOPLE = PEOPLE + b"H2,P3,Mia,Fakeworth,1975-02-30,Q,ZZ99 2BB\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(client, content: bytes, *, kind: str = "people", name: str = "people.csv", **extra):
    data = {"kind": kind, "file": SimpleUploadedFile(name, content, "text/csv"), **extra}
    return client.post(reverse("families:import_upload"), data)


# --- who may use them ---------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["data_officer", "coordinator"])
def test_data_officers_and_coordinators_reach_the_import_pages(db, client, request, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("families:import_upload")).status_code == 200
    assert client.get(reverse("families:import_history")).status_code == 200


@pytest.mark.parametrize("persona", ["key_worker", "finance_officer", "auditor", "administrator"])
def test_other_roles_are_refused_the_import_pages(db, client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    batch = ImportBatchFactory()

    for url in [
        reverse("families:import_upload"),
        reverse("families:import_history"),
        reverse("families:import_report", args=[batch.pk]),
        reverse("families:import_progress_status", args=[batch.pk]),
    ]:
        assert client.get(url).status_code == 403, url


def test_the_navigation_offers_imports_to_a_data_officer(client, data_officer):
    client.force_login(data_officer)

    response = client.get(reverse("accounts:start"))

    assert reverse("families:import_history") in response.content.decode()
    assert reverse("families:import_upload") in response.content.decode()


# --- upload --------------------------------------------------------------------------------


def test_an_upload_is_imported_and_ends_on_its_report(
    client, data_officer, media_root, django_capture_on_commit_callbacks
):
    client.force_login(data_officer)

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, PEOPLE)

    batch = fm.ImportBatch.objects.get()
    assert response.url == reverse("families:import_progress", args=[batch.pk])
    report = client.get(response.url, follow=True)
    assert report.redirect_chain[-1][0] == reverse("families:import_report", args=[batch.pk])
    page = report.content.decode()
    assert "Imported" in page and batch.sha256 in page
    assert (batch.status, batch.rows_created, batch.imported_by) == ("succeeded", 2, data_officer)
    assert fm.Person.objects.count() == 2
    # The upload is deleted once imported.
    assert list((media_root / "imports").iterdir()) == []


def test_a_rejected_upload_reports_every_problem_in_a_table(
    client, data_officer, django_capture_on_commit_callbacks
):
    client.force_login(data_officer)

    with django_capture_on_commit_callbacks(execute=True):
        upload(client, BAD_PEOPLE)

    batch = fm.ImportBatch.objects.get()
    page = client.get(reverse("families:import_report", args=[batch.pk])).content.decode()
    assert batch.status == "rejected"
    assert "nothing was imported" in page
    assert "&#x27;1975-02-30&#x27; is not a real date." in page
    assert "&#x27;Q&#x27; is not one of F, M, X, U." in page
    assert page.count('<td class="govuk-table__cell govuk-table__cell--numeric">4</td>') == 2
    assert not fm.Person.objects.exists()


def test_a_file_over_the_upload_limit_is_refused_with_a_clear_error(client, data_officer, settings):
    settings.UPLOAD_MAX_MB = 1
    client.force_login(data_officer)

    response = upload(client, b"person_ref,given_name\n" + b"P1,Ann\n" * 160_000)

    assert response.status_code == 400
    assert "The selected file must be smaller than 1MB" in response.content.decode()
    assert not fm.ImportBatch.objects.exists()


def test_the_upload_form_explains_what_is_missing(client, data_officer):
    client.force_login(data_officer)

    response = client.post(reverse("families:import_upload"), {})

    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Select what the file holds" in page
    assert "Select a CSV file" in page
    assert not fm.ImportBatch.objects.exists()


def test_an_as_of_day_in_the_future_is_refused(client, data_officer, time_machine):
    time_machine.move_to("2014-06-01 12:00:00+01:00")
    client.force_login(data_officer)

    response = upload(client, PEOPLE, **{"as_of_0": "2", "as_of_1": "6", "as_of_2": "2014"})

    assert response.status_code == 400
    assert "must be today or in the past" in response.content.decode()


def test_the_as_of_day_chosen_is_the_batch_s(
    client, data_officer, django_capture_on_commit_callbacks
):
    client.force_login(data_officer)

    with django_capture_on_commit_callbacks(execute=True):
        upload(client, PEOPLE, **{"as_of_0": "31", "as_of_1": "8", "as_of_2": "2013"})

    assert fm.ImportBatch.objects.get().as_of == date(2013, 8, 31)


# --- progress --------------------------------------------------------------------------------


def test_a_waiting_import_shows_its_progress(client, data_officer):
    client.force_login(data_officer)
    batch = ImportBatchFactory(status="running", progress=40, file_name="big.csv")

    page = client.get(reverse("families:import_progress", args=[batch.pk])).content.decode()
    status = client.get(reverse("families:import_progress_status", args=[batch.pk])).json()

    assert '<progress class="tfp-progress" id="import-progress-bar" max="100" value="40">' in page
    assert status == {
        "state": "running",
        "progress": 40,
        "message": "Importing big.csv: 40% done.",
        "url": reverse("families:import_report", args=[batch.pk]),
    }


def test_a_finished_import_s_progress_page_moves_on_to_the_report(client, data_officer):
    client.force_login(data_officer)
    batch = ImportBatchFactory(status="succeeded")

    response = client.get(reverse("families:import_progress", args=[batch.pk]))

    assert response.url == reverse("families:import_report", args=[batch.pk])


def test_the_import_task_imports_the_upload_and_deletes_it(data_officer, media_root):
    stored = media_root / "imports" / "waiting.csv"
    stored.parent.mkdir()
    stored.write_bytes(PEOPLE)
    batch = ImportBatchFactory(status="pending", upload_path="imports/waiting.csv")

    assert import_file(batch.pk) == "succeeded"
    # A retried task finds the batch done and leaves it alone.
    assert import_file(batch.pk) == "succeeded"

    assert not stored.exists()
    assert fm.Person.objects.count() == 2


# --- history -----------------------------------------------------------------------------------


def test_the_history_lists_who_when_which_file_and_what_it_did(client, coordinator, data_officer):
    ImportBatchFactory(
        imported_by=data_officer,
        file_name="asb-march.csv",
        kind="asb",
        sha256="ab" * 32,
        rows_created=12,
        rows_updated=3,
    )
    client.force_login(coordinator)

    page = client.get(reverse("families:import_history")).content.decode()

    for text in ["asb-march.csv", "Anti-social behaviour", "abababababab", "Dana", ">12<", ">3<"]:
        assert text in page


def _history_queries(client, django_assert_max_num_queries, batches: int, user) -> None:
    ImportBatchFactory.create_batch(batches, imported_by=user)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("families:import_history")).status_code == 200


@pytest.mark.parametrize("batches", [1, 40])
def test_the_history_page_makes_the_same_few_queries_however_long(
    client, data_officer, django_assert_max_num_queries, batches
):
    client.force_login(data_officer)
    _history_queries(client, django_assert_max_num_queries, batches, data_officer)


# --- in the browser ----------------------------------------------------------------------------


@pytest.mark.browser
def test_a_data_officer_uploads_an_extract_and_reads_its_report(page, live_server, data_officer):
    sign_in(page, live_server, data_officer)
    page.get_by_role("link", name="Imports", exact=True).click()
    expect(page.get_by_role("heading", name="Import history")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Import a partner extract").click()
    expect(page.get_by_role("heading", name="Import a partner extract")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("People and households").check()
    page.get_by_label("Upload a CSV file").set_input_files(str(EXAMPLES / "people.csv"))
    page.get_by_role("button", name="Upload and import").click()

    expect(page.get_by_role("heading", name="Import of people.csv")).to_be_visible()
    expect(page.locator(".govuk-panel")).to_contain_text("110 rows read")
    assert_accessible(page)
    page.get_by_role("link", name="import history").click()
    expect(page.get_by_role("link", name="people.csv")).to_be_visible()


@pytest.mark.browser
def test_a_rejected_upload_shows_every_problem(page, live_server, data_officer, tmp_path):
    bad = tmp_path / "people.csv"
    bad.write_bytes(BAD_PEOPLE)
    sign_in(page, live_server, data_officer)
    page.goto(live_server.url + reverse("families:import_upload"))

    page.get_by_label("People and households").check()
    page.get_by_label("Upload a CSV file").set_input_files(str(bad))
    page.get_by_role("button", name="Upload and import").click()

    expect(page.locator(".govuk-error-summary")).to_contain_text("nothing was imported")
    rows = page.locator("#problems ~ table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("date_of_birth")
    assert_accessible(page)


@pytest.mark.browser
def test_the_upload_form_errors_are_accessible(page, live_server, coordinator):
    sign_in(page, live_server, coordinator)
    page.goto(live_server.url + reverse("families:import_upload"))

    page.get_by_role("button", name="Upload and import").click()

    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a CSV file")
    assert_accessible(page)


@pytest.mark.browser
def test_the_progress_bar_follows_the_import_to_its_report(page, live_server, data_officer):
    batch = ImportBatchFactory(status="running", progress=10, file_name="big.csv")
    sign_in(page, live_server, data_officer)
    page.goto(live_server.url + reverse("families:import_progress", args=[batch.pk]))
    bar = page.get_by_label("Progress")
    expect(bar).to_have_attribute("value", "10")
    assert_accessible(page)

    fm.ImportBatch.objects.filter(pk=batch.pk).update(progress=70)
    expect(bar).to_have_js_property("value", 70)
    fm.ImportBatch.objects.filter(pk=batch.pk).update(status="succeeded", progress=100)

    expect(page).to_have_url(live_server.url + reverse("families:import_report", args=[batch.pk]))
