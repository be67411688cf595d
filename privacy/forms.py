"""Forms check the shape of what was typed; the services decide what is allowed."""

from __future__ import annotations

from crispy_forms_gds.layout import Field
from django import forms

from casework.forms import GovForm, date_field
from tfp.forms import GovUKForm


class PersonSearchForm(GovUKForm):
    q = forms.CharField(
        label="Person reference or name",
        max_length=200,
        required=False,
        help_text="For example P000123, or a family name",
    )


class ErasureRequestForm(GovForm):
    error_names = {"grounds": "what the person asked for"}
    submit = "Record the request"
    received_on = date_field("Date the request was received")
    grounds = forms.CharField(
        label="What did the person ask for, and why?",
        help_text="Their own words where you can. Do not include anyone else's information.",
        widget=forms.Textarea,
        max_length=5000,
        error_messages={"required": "Say what the person asked for"},
    )

    def layout(self) -> list:
        return ["received_on", Field.textarea("grounds", rows=6)]


class ErasureDecisionForm(GovForm):
    submit = "Record the decision"
    decision = forms.ChoiceField(
        label="Decision",
        choices=[
            ("approve", "Approve: anonymise this person's data now"),
            ("refuse", "Refuse: the service still needs the data"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether to approve or refuse the request"},
    )
    redact_notes = forms.BooleanField(
        label="Also remove the text of every case note that records this person as seen",
        required=False,
    )
    note = forms.CharField(
        label="Reason for the decision",
        help_text="Needed when refusing: the person must be told why.",
        widget=forms.Textarea,
        max_length=5000,
        required=False,
    )

    def layout(self) -> list:
        return [
            Field.radios("decision", legend_size="m"),
            Field.checkbox("redact_notes"),
            Field.textarea("note", rows=4),
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "refuse" and not cleaned.get("note", "").strip():
            self.add_error("note", "Say why the request is refused")
        return cleaned
