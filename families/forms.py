"""Forms of the identification pages: the list's filters, cohort decisions, settings, runs."""

from __future__ import annotations

from datetime import date

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict

from families.models import Concern
from families.selectors import (
    CRITERIA,
    DECISION_CHOICES,
    DEFAULT_SORT,
    SORTS,
    IdentificationFilters,
)
from tfp.forms import GovDateField, GovUKForm

ELIGIBLE_CHOICES = (
    ("eligible", "Eligible"),
    ("not_eligible", "Not eligible"),
    ("all", "Eligible or not"),
)
# With no choice made the list shows eligible families: the ones a coordinator acts on.
DEFAULT_ELIGIBLE = "eligible"


class IdentificationFilterForm(GovUKForm):
    """The list's query string. Anything malformed is ignored rather than refused: a filter
    link is never an error page."""

    q = forms.CharField(label="Name, family reference or postcode", required=False, max_length=100)
    criterion = forms.MultipleChoiceField(
        label="Meets every criterion ticked",
        choices=CRITERIA,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    eligible = forms.ChoiceField(
        label="Eligibility", choices=ELIGIBLE_CHOICES, required=False, widget=forms.RadioSelect
    )
    new = forms.MultipleChoiceField(
        label="New since the previous run",
        choices=[("yes", "Newly eligible in the latest run")],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    decision = forms.MultipleChoiceField(
        label="Cohort decision",
        choices=DECISION_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sort = forms.ChoiceField(
        choices=[(k, k) for key in SORTS for k in (key, f"-{key}")],
        required=False,
        widget=forms.HiddenInput,
    )

    def __init__(self, query: QueryDict, *args, **kwargs):
        data = query.copy()
        data.setdefault("eligible", DEFAULT_ELIGIBLE)
        super().__init__(data, *args, **kwargs)
        self.query = query
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("q", label_size=Size.SMALL),
            Field.checkboxes("criterion", legend_size=Size.SMALL, small=True),
            Field.radios("eligible", legend_size=Size.SMALL, small=True),
            Field.checkboxes("new", legend_size=Size.SMALL, small=True),
            Field.checkboxes("decision", legend_size=Size.SMALL, small=True),
            "sort",
        )

    def _value(self, name: str, default):
        self.is_valid()
        return self.cleaned_data.get(name) or default

    def filters(self) -> IdentificationFilters:
        sort = self._value("sort", DEFAULT_SORT)
        eligible = self._value("eligible", DEFAULT_ELIGIBLE)
        return IdentificationFilters(
            criteria=tuple(self._value("criterion", ())),
            eligible={"eligible": True, "not_eligible": False}.get(eligible),
            new_only="yes" in self._value("new", ()),
            decisions=tuple(self._value("decision", ())),
            search=self._value("q", "").strip(),
            sort=sort.lstrip("-"),
            descending=sort.startswith("-"),
        )

    def selected(self) -> list[dict]:
        """The chosen filters as MOJ filter tags, each with the link that removes it."""
        filters = self.filters()
        labels = dict(CRITERIA)
        decisions = dict(DECISION_CHOICES)
        categories = []

        def category(heading, items):
            if items:
                categories.append({"heading": heading, "items": items})

        if filters.search:
            category("Search", [(f"“{filters.search}”", self.without("q"))])
        category(
            "Criteria",
            [(labels[c], self.without("criterion", c)) for c in filters.criteria],
        )
        if filters.eligible is not None:
            label = "Eligible" if filters.eligible else "Not eligible"
            category("Eligibility", [(label, self.replacing("eligible", "all"))])
        if filters.new_only:
            category("New", [("Newly eligible", self.without("new"))])
        category(
            "Cohort decision",
            [(decisions[d], self.without("decision", d)) for d in filters.decisions],
        )
        return [
            {"heading": c["heading"], "items": [{"text": t, "href": h} for t, h in c["items"]]}
            for c in categories
        ]

    def without(self, name: str, value: str | None = None) -> str:
        """The query string without ``name`` (or without only its ``value``), page reset."""
        query = self.query.copy()
        if value is None:
            query.pop(name, None)
        else:
            query.setlist(name, [v for v in query.getlist(name) if v != value])
        query.pop("page", None)
        return "?" + query.urlencode()

    def replacing(self, name: str, value: str) -> str:
        query = self.query.copy()
        query[name] = value
        query.pop("page", None)
        return "?" + query.urlencode()

    def sorted_by(self, key: str) -> str:
        """The link of a column heading: sort by ``key``, or reverse it if already so."""
        filters = self.filters()
        descending = filters.sort == key and not filters.descending
        return self.replacing("sort", f"-{key}" if descending else key)


class NotProceedingForm(GovUKForm):
    error_names = {"reason": "the reason the family is not proceeding"}
    reason = forms.CharField(
        label="Why is the family not proceeding?",
        help_text="For example: already supported by another service, or moved away.",
        max_length=2000,
        widget=forms.Textarea,
        error_messages={"required": "Enter the reason the family is not proceeding"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.textarea("reason", label_size=Size.SMALL, rows=3),
            Button("not_proceeding", "Not proceeding", css_class="govuk-button--warning"),
        )


class DiscretionDraftForm(GovUKForm):
    """The explorer's query string: the concern types being tried. Unknown values are left
    out rather than refused (a link is never an error page); with no ``draft`` in the query
    the selection tried is the one in force."""

    types = forms.MultipleChoiceField(
        label="Concern types to try",
        help_text="Tick the types to see which families they would make eligible.",
        choices=Concern.Type.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, query: QueryDict, *, current: list[str]):
        data = query.copy()
        if "draft" not in query:
            data.setlist("types", current)
        data.setlist("types", [t for t in data.getlist("types") if t in Concern.Type.values])
        super().__init__(data)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.checkboxes("types", legend_size=Size.MEDIUM, legend_tag="h2", small=True),
        )

    def draft(self) -> list[str]:
        self.is_valid()
        return list(self.cleaned_data.get("types", ()))


class DiscretionApplyForm(GovUKForm):
    error_names = {"reason": "the reason for the change"}
    types = forms.MultipleChoiceField(choices=Concern.Type.choices, required=False)
    reason = forms.CharField(
        label="Why are the concern types changing?",
        help_text="For example: agreed at the programme board on 12 March. The reason is kept "
        "in the audit log.",
        max_length=2000,
        widget=forms.Textarea,
        error_messages={"required": "Enter the reason for the change"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(Field.textarea("reason", label_size=Size.SMALL, rows=3))


class RecalculateForm(GovUKForm):
    error_names = {"as_of": "the day the families are assessed as of"}
    as_of = GovDateField(
        label="Assess the families as of",
        help_text="Usually today. For example, 31 8 2013.",
    )

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, initial={"as_of": today}, **kwargs)
        self.today = today
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("as_of", context={"legend_size": Size.for_legend(Size.SMALL)}),
            Button("recalculate", "Recalculate now"),
        )

    def clean_as_of(self) -> date:
        as_of = self.cleaned_data["as_of"]
        if as_of > self.today:
            raise ValidationError("The date must be today or in the past")
        return as_of
