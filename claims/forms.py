"""The claims pages' forms: GOV.UK components through crispy-forms-gds. Forms check the shape of
what was typed; the services decide what is allowed."""

from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.http import QueryDict

from claims.models import Claim, RateCard
from claims.services import ClaimRefused, window_last_day
from outcomes.models import ResultType
from tfp.forms import GovDateField, GovUKForm, MoneyField

YES_NO = ((True, "Yes"), (False, "No"))


class GovForm(GovUKForm):
    """A form rendered in the GOV.UK style; ``submit`` is the button's words."""

    submit = "Save"
    secondary = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        button = (
            Button.secondary("submit", self.submit)
            if self.secondary
            else Button("submit", self.submit)
        )
        self.helper.layout = Layout(*self.layout(), button)

    def layout(self) -> list:
        return list(self.fields)


class WindowForm(GovForm):
    submit = "Add claim window"
    name = forms.CharField(
        label="Claim window",
        help_text="Year and month, for example 2014-10. Results are assessed on its last day.",
        max_length=7,
    )

    def layout(self) -> list:
        return [Field.text("name", field_width=10)]

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        try:
            window_last_day(name)
        except ClaimRefused as error:
            raise forms.ValidationError(str(error)) from error
        return name


class ReasonForm(GovForm):
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 3}))

    def layout(self) -> list:
        return [Field.textarea("reason")]


class ExcludeForm(ReasonForm):
    submit = "Exclude from the pack"
    secondary = True


class WithdrawForm(ReasonForm):
    submit = "Withdraw the claim"
    secondary = True


def _yes_no(label: str, *, yes_if: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value in (True, "True"),
        widget=forms.RadioSelect,
        error_messages={"required": f"Select yes if {yes_if}"},
    )


class VerdictForm(GovForm):
    submit = "Record the verdict"
    error_names = {
        "family_eligible": "whether the family was eligible",
        "whole_family_working": "whether there is evidence of whole-family working",
        "result_evidenced": "whether the result is evidenced",
    }
    family_eligible = _yes_no(
        "Was the family eligible when it was attached?",
        yes_if="the family was eligible when it was attached",
    )
    whole_family_working = _yes_no(
        "Is there evidence of whole-family working?",
        yes_if="there is evidence of whole-family working",
    )
    result_evidenced = _yes_no("Is the result evidenced?", yes_if="the result is evidenced")
    note = forms.CharField(
        label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def layout(self) -> list:
        return [
            Field.radios("family_eligible", inline=True),
            Field.radios("whole_family_working", inline=True),
            Field.radios("result_evidenced", inline=True),
            Field.textarea("note"),
        ]


class SampleForm(GovForm):
    submit = "Draw the sample"
    percent = forms.IntegerField(
        label="Share of the claims to check (%)", min_value=1, max_value=100, initial=10
    )

    def layout(self) -> list:
        return [Field.text("percent", field_width=3)]


class PaidForm(GovForm):
    submit = "Record payment"
    paid_on = GovDateField(label="Paid on", help_text="For example, 27 3 2015")
    error_names = {"paid_on": "the date the claims were paid"}


class RateCardForm(GovForm):
    submit = "Save the rates"
    error_names = {"reason": "why the rates change"}
    attachment_fee = MoneyField(label="Attachment fee", min_value=0)
    results_element = MoneyField(label="Results element R", min_value=0)
    crime_asb_education = MoneyField(label="Crime, ASB and education", min_value=0)
    progress_to_work = MoneyField(label="Progress to work", min_value=0)
    continuous_employment = MoneyField(label="Continuous employment", min_value=0)
    reason = forms.CharField(label="Why the rates change", widget=forms.Textarea(attrs={"rows": 3}))

    def layout(self) -> list:
        return [
            *(Field.text(name, field_width=10) for name in RateCard.AMOUNT_FIELDS),
            Field.textarea("reason"),
        ]

    def clean(self):
        cleaned = super().clean()
        r = cleaned.get("results_element")
        for name in ("crime_asb_education", "progress_to_work", "continuous_employment"):
            if r is not None and cleaned.get(name) is not None and cleaned[name] > r:
                self.add_error(
                    name, f"{self.fields[name].label} must be no more than the results element R"
                )
        return cleaned


class CommitmentForm(GovForm):
    submit = "Save the commitment"
    error_names = {
        "financial_year": "the financial year",
        "families": "the number of families",
        "funded": "the number of families DCLG funds",
    }
    financial_year = forms.IntegerField(
        label="Financial year starting in",
        help_text="For example, 2012 for 2012/13",
        min_value=2000,
        max_value=2100,
    )
    families = forms.IntegerField(label="Families committed to", min_value=0)
    funded = forms.IntegerField(
        label="Families DCLG funds (optional)",
        help_text="As DCLG's letter gives it. Leave blank for five in six of the families "
        "committed to, rounded down.",
        min_value=0,
        required=False,
    )

    def layout(self) -> list:
        return [
            Field.text("financial_year", field_width=4),
            Field.text("families", field_width=5),
            Field.text("funded", field_width=5),
        ]

    def clean(self):
        cleaned = super().clean()
        families, funded = cleaned.get("families"), cleaned.get("funded")
        if families is not None and funded is not None and funded > families:
            self.add_error(
                "funded",
                "The number of families DCLG funds must be no more than the families committed to",
            )
        return cleaned


class ClaimFilterForm(GovUKForm):
    """The claims table's query string; anything malformed is ignored, never an error page."""

    family = forms.CharField(label="Family reference", required=False, max_length=32)
    window = forms.CharField(label="Claim window", required=False, max_length=7)
    result = forms.ChoiceField(
        label="Result", choices=[("", "Any")] + ResultType.choices, required=False
    )
    status = forms.ChoiceField(
        label="Status", choices=[("", "Any")] + Claim.Status.choices, required=False
    )
    sort = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, query: QueryDict, *args, with_window: bool = True, **kwargs):
        super().__init__(query, *args, **kwargs)
        if not with_window:
            del self.fields["window"]
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("family", label_size=Size.SMALL),
            *([Field.text("window", label_size=Size.SMALL)] if with_window else []),
            Field.select("result", label_size=Size.SMALL),
            Field.select("status", label_size=Size.SMALL),
            "sort",
        )

    def filters(self) -> dict[str, str]:
        self.is_valid()
        return {
            name: self.cleaned_data.get(name) or ""
            for name in self.fields
            if name not in self.errors
        }
