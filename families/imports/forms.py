"""The upload form of the imports pages."""

from __future__ import annotations

from datetime import date

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from families.imports.kinds import IDENTIFIED_KINDS
from families.imports.services import SOURCE_NAME
from families.models import ImportKind
from tfp.forms import GovDateField, GovUKForm


class ImportUploadForm(GovUKForm):
    error_names = {
        "kind": "what the file holds",
        "as_of": "the day the extract describes",
        "file": "a CSV file",
    }

    kind = forms.ChoiceField(
        label="What does the file hold?",
        choices=ImportKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what the file holds"},
    )
    as_of = GovDateField(
        label="The day the extract describes (optional)",
        help_text="Leave blank for today. Nothing in the file may be dated after this day. "
        "For example, 31 8 2013.",
        required=False,
    )
    source = forms.CharField(
        label="Which partner system is it from? (only for files without person_ref)",
        help_text="For a file naming people by the partner's own id (source_person_id), with "
        "their names and dates of birth: the system's name in lowercase letters, digits and "
        "underscores, for example county_police. Use the same name every time.",
        required=False,
        max_length=64,
    )
    file = forms.FileField(
        label="Upload a CSV file",
        help_text="UTF-8, comma-separated, one header row naming the columns.",
        error_messages={
            "required": "Select a CSV file",
            "empty": "The selected file is empty",
        },
    )

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.radios("kind", legend_size=Size.MEDIUM),
            Field("as_of", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Field.text("source", label_size=Size.SMALL, field_width=20),
            Field("file", label_size=Size.SMALL),
            Button("upload", "Upload and import"),
        )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if file.size > settings.UPLOAD_MAX_MB * 1024 * 1024:
            raise ValidationError(
                f"The selected file must be smaller than {settings.UPLOAD_MAX_MB}MB"
            )
        return file

    def clean_source(self) -> str:
        source = self.cleaned_data["source"].strip()
        if source and not SOURCE_NAME.match(source):
            raise ValidationError(
                "Enter the partner system's name in lowercase letters, digits and "
                "underscores, like county_police"
            )
        return source

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("source")
            and cleaned.get("kind")
            and cleaned["kind"] not in IDENTIFIED_KINDS
        ):
            self.add_error(
                "source",
                "Leave the partner system blank: people files name the council's own people",
            )
        return cleaned

    def clean_as_of(self) -> date | None:
        as_of = self.cleaned_data["as_of"]
        if as_of is not None and as_of > self.today:
            raise ValidationError("The day the extract describes must be today or in the past")
        return as_of
