"""The linking settings form (an administrator's)."""

from __future__ import annotations

from decimal import Decimal

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms

from tfp.forms import GovUKForm

_THRESHOLD = {
    "max_digits": 5,
    "decimal_places": 4,
    "min_value": Decimal("0.0001"),
    "max_value": Decimal("1"),
}


class LinkageSettingsForm(GovUKForm):
    link_threshold = forms.DecimalField(
        label="Link threshold",
        help_text="A partner's person is linked without review when its best candidate's "
        "match probability is at least this, and no other candidate reaches the review "
        "threshold. Between 0 and 1, for example 0.99.",
        **_THRESHOLD,
    )
    review_threshold = forms.DecimalField(
        label="Review threshold",
        help_text="Below the link threshold, a best candidate at least this likely makes a "
        "possible match for a data officer to review; below it, the person stays unlinked. "
        "For example 0.5.",
        **_THRESHOLD,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("link_threshold", label_size=Size.SMALL, field_width=5),
            Field.text("review_threshold", label_size=Size.SMALL, field_width=5),
            Button("save", "Save thresholds"),
        )

    def clean(self):
        cleaned = super().clean()
        link, review = cleaned.get("link_threshold"), cleaned.get("review_threshold")
        if link is not None and review is not None and review > link:
            self.add_error(
                "review_threshold", "The review threshold must be at most the link threshold"
            )
        return cleaned


class LinkDecisionForm(GovUKForm):
    """Link, no match or unlink, with an optional note (linkage.md "Decisions")."""

    LINK, NO_MATCH, UNLINK = "link", "no_match", "unlink"

    decision = forms.ChoiceField(
        choices=[(LINK, "Link"), (NO_MATCH, "No match"), (UNLINK, "Unlink")]
    )
    # A person's pk: a candidate's, or one found by search.
    person = forms.IntegerField(required=False)
    note = forms.CharField(
        label="Note (optional)", required=False, max_length=2000, widget=forms.Textarea
    )
    error_names = {"decision": "what you decided"}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.LINK and not cleaned.get("person"):
            self.add_error("person", "Select the person to link to")
        return cleaned


class PersonSearchForm(GovUKForm):
    q = forms.CharField(
        label="Find a person in the council's index",
        help_text="A person reference, or a name (given name, family name or both)",
        max_length=200,
    )
    error_names = {"q": "a person reference or name"}
