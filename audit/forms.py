"""The audit viewer's filters: a query string, so a malformed value is ignored, never an error."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEntry
from tfp.forms import GovDateField, GovUKForm


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        full = obj.get_full_name()
        return f"{full} ({obj.username})" if full else obj.username


class AuditFilterForm(GovUKForm):
    error_names = {"date_from": "the first day to show", "date_to": "the last day to show"}
    user = UserChoiceField(
        queryset=User.objects.order_by("username"), required=False, empty_label="Anyone"
    )
    family = forms.CharField(label="Family reference", required=False, max_length=32)
    action = forms.ChoiceField(
        choices=[("", "Any action"), *AuditEntry.Action.choices], required=False
    )
    date_from = GovDateField(label="From", required=False)
    date_to = GovDateField(label="To", required=False)
    # Every page of the log is itself an entry: left in, the auditor's own reading would fill
    # the first pages of the very log they are reading.
    log_reads = forms.MultipleChoiceField(
        label="Reads of the audit log",
        choices=[("shown", "Show when the audit log itself was read")],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.order_by("username")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(
            Field.select("user"),
            Field.text("family", field_width=10),
            Field.select("action"),
            "date_from",
            "date_to",
            Field.checkboxes("log_reads", small=True),
        )

    def filter(self, entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        """Apply the valid filters; a field that did not parse is left out."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if data.get("user"):
            entries = entries.filter(user=data["user"])
        if data.get("family"):
            entries = entries.filter(family_ref=data["family"].strip())
        if data.get("action"):
            entries = entries.filter(action=data["action"])
        if data.get("date_from"):
            entries = entries.filter(at__gte=_start_of(data["date_from"]))
        if data.get("date_to"):
            entries = entries.filter(at__lt=_start_of(data["date_to"] + timedelta(days=1)))
        if not data.get("log_reads"):
            entries = entries.exclude(action=AuditEntry.Action.VIEW, path=reverse("audit:log"))
        return entries


def _start_of(day: date) -> datetime:
    """Days are the authority's (Europe/London), whatever the database's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))
