"""The targets form: the shape of what was typed; the service decides who may save it."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from claims.models import financial_year_label
from tfp.forms import GovUKForm


class TargetsForm(GovUKForm):
    error_names = {
        "cohort_size": "the number of families in the whole cohort",
        "cohort_started_percent": "the share of the cohort to have started",
        "cohort_started_by": "the year the cohort should have started by",
        "caseload_limit": "the most active families per key worker",
    }

    cohort_size = forms.IntegerField(
        label="Families in the whole cohort",
        help_text="The families the authority will work with over the whole programme, for "
        "example 395. Leave blank to use the sum of the yearly commitments.",
        min_value=1,
        required=False,
    )
    cohort_started_percent = forms.IntegerField(
        label="Share of the cohort to have started (%)",
        help_text="For example 85",
        min_value=1,
        max_value=100,
    )
    cohort_started_by = forms.TypedChoiceField(
        label="Started by the end of the financial year",
        coerce=int,
        choices=[
            (year, f"{financial_year_label(year)} (31 March {year + 1})")
            for year in range(2012, 2021)
        ],
    )
    caseload_limit = forms.IntegerField(
        label="Most active families per key worker",
        help_text="A key worker with more is flagged as overloaded",
        min_value=1,
        max_value=500,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.layout = Layout(
            Field.text("cohort_size", field_width=5),
            Field.text("cohort_started_percent", field_width=3),
            Field.select("cohort_started_by"),
            Field.text("caseload_limit", field_width=3),
            Button("submit", "Save the targets"),
        )
