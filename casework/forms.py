"""The casework forms: GOV.UK components through crispy-forms-gds. Forms check the shape of what
was typed; the services decide what is allowed."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Button, Field, Fieldset, Layout, Size
from django import forms
from django.utils import timezone

from casework.models import (
    Assessment,
    BreakGlass,
    CaseNote,
    ClosureRequest,
    Consent,
    Domain,
    Goal,
    GoalStatus,
    Intervention,
    InterventionType,
    Need,
    Severity,
)
from casework.services.assessment import NeedInput
from casework.services.plan import GoalChange
from families.models import CaseFile, Person
from tfp import clock
from tfp.forms import GovDateField, GovUKForm, MoneyField

from .selectors import key_workers, task_assignees


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.given_name} {obj.family_name} (born {obj.date_of_birth:%-d %B %Y})"


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.given_name} {obj.family_name}"


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name() or obj.username


class GovForm(GovUKForm):
    """A form rendered in the GOV.UK style; ``submit`` is the button's words."""

    submit = "Save"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(*self.layout(), Button("submit", self.submit))

    def layout(self) -> list:
        return list(self.fields)


def date_field(
    label: str, *, required: bool = True, help_text: str = "", happened: bool = False
) -> GovDateField:
    """A date box; ``happened``: the day something took place, so never one still to come."""
    return GovDateField(
        label=label,
        required=required,
        help_text=help_text or "For example, 27 3 2014",
        validators=[_not_in_the_future(label)] if happened else [],
    )


def _not_in_the_future(label: str):
    def validate(day: date) -> None:
        if error := clock.future_date_error(day, label):
            raise forms.ValidationError(error)

    return validate


class AllocateForm(GovForm):
    submit = "Allocate key worker"
    key_worker = UserChoiceField(queryset=key_workers(), label="Key worker", empty_label=None)
    attached_on = date_field(
        "Attachment date", help_text="The day work with the family starts", happened=True
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key_worker"].queryset = key_workers()


class ReallocateForm(GovForm):
    submit = "Reallocate"
    key_worker = UserChoiceField(queryset=key_workers(), label="New key worker", empty_label=None)
    on = date_field("From")

    def __init__(self, *args, case_file=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key_worker"].queryset = key_workers().exclude(pk=case_file.key_worker_id)


class ConsentForm(GovForm):
    submit = "Record consent"
    given_by = PersonChoiceField(queryset=Person.objects.none(), label="Who consented")
    purposes = forms.MultipleChoiceField(
        label="What they agreed to",
        choices=[
            ("working_together", "Working together with the key worker"),
            ("share_information", "Sharing information with named partners"),
        ],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select what the family member agreed to"},
    )
    named_partners = forms.CharField(
        label="Partners information may be shared with",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="For example, the school, the police, the housing provider",
    )
    given_on = date_field("Date consent was given", happened=True)
    method = forms.ChoiceField(
        label="How consent was given", choices=Consent.Method.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["given_by"].queryset = members

    def layout(self) -> list:
        return [
            Field.select("given_by"),
            Field.checkboxes("purposes"),
            Field.textarea("named_partners"),
            "given_on",
            Field.radios("method"),
        ]

    def clean(self):
        data = super().clean()
        if (
            "share_information" in data.get("purposes", [])
            and not data.get("named_partners", "").strip()
        ):
            self.add_error("named_partners", "Name the partners information may be shared with")
        return data


class ConsentWithdrawForm(GovForm):
    submit = "Record withdrawal"
    withdrawn_on = date_field("Date consent was withdrawn", happened=True)
    reason = forms.CharField(
        label="What the family member said", widget=forms.Textarea(attrs={"rows": 4})
    )


class AssessmentForm(GovForm):
    """The whole-family assessment: a severity (or none) and detail per person and domain.

    The grid is rendered by the page; this form adds a field pair per (subject, domain),
    named ``sev_<subject>_<domain>`` and ``detail_<subject>_<domain>``, subject being a
    person's id or ``family``.
    """

    submit = "Save assessment"
    assessed_on = date_field("Date of the assessment", happened=True)
    review_by = date_field("Review by", required=False, help_text="When it should be reviewed")
    summary = forms.CharField(
        label="Summary", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, members, previous: Assessment | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout("assessed_on", "review_by", Field.textarea("summary"))
        self.subjects: list[tuple[str, Person | None, str]] = [("family", None, "Whole family")]
        self.subjects += [(str(p.pk), p, f"{p.given_name} {p.family_name}") for p in members]
        earlier = {}
        if previous is not None:
            earlier = {(n.person_id, n.domain): n for n in previous.needs.all()}
        choices = [("", "No need")] + [(str(v), label) for v, label in Severity.choices]
        for key, person, name in self.subjects:
            for domain, label in Domain.choices:
                before = earlier.get((person.pk if person else None, domain))
                self.fields[f"sev_{key}_{domain}"] = forms.TypedChoiceField(
                    label=f"{name}: {label} – severity",
                    choices=choices,
                    coerce=int,
                    empty_value=None,
                    required=False,
                    initial=before.severity if before else "",
                )
                self.fields[f"detail_{key}_{domain}"] = forms.CharField(
                    label=f"{name}: {label} – detail",
                    required=False,
                    max_length=500,
                    initial=before.detail if before else "",
                )

    def grid(self):
        """(subject name, [(domain label, severity field, detail field)]) for the template."""
        return [
            (
                name,
                key,
                [
                    (label, self[f"sev_{key}_{domain}"], self[f"detail_{key}_{domain}"])
                    for domain, label in Domain.choices
                ],
            )
            for key, _person, name in self.subjects
        ]

    def needs(self):
        return [
            NeedInput(
                person=person,
                domain=domain,
                severity=self.cleaned_data[f"sev_{key}_{domain}"],
                detail=self.cleaned_data[f"detail_{key}_{domain}"],
            )
            for key, person, _name in self.subjects
            for domain in Domain.values
            if self.cleaned_data.get(f"sev_{key}_{domain}")
        ]

    def clean(self):
        data = super().clean()
        if not self.errors and not self.needs():
            self.add_error(None, "Record the severity of at least one need")
        return data


class NeedChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Need) -> str:
        return str(obj)


class GoalForm(GovForm):
    submit = "Add goal"
    need = NeedChoiceField(queryset=Need.objects.none(), label="The need it answers")
    what = forms.CharField(label="What will be done", widget=forms.Textarea(attrs={"rows": 3}))
    who = forms.CharField(label="Who does it", max_length=200)
    due_on = date_field("By when")

    def __init__(self, *args, needs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["need"].queryset = needs

    def layout(self) -> list:
        return [Field.select("need"), Field.textarea("what"), Field.text("who"), "due_on"]


class GoalUpdateForm(GovForm):
    submit = "Update goal"
    status = forms.ChoiceField(label="Status", choices=GoalStatus.choices, widget=forms.RadioSelect)
    due_on = date_field("By when")
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReviewForm(GovForm):
    """A review meeting: its scores per domain and, for each open goal, its new status."""

    submit = "Save review"
    held_on = date_field("Date of the meeting", happened=True)
    attendees = forms.CharField(label="Who attended", widget=forms.Textarea(attrs={"rows": 2}))
    summary = forms.CharField(
        label="What was agreed", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    next_review_on = date_field("Next review", required=False)

    def __init__(self, *args, goals: list[Goal], **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = goals
        scores = [("", "Not scored")] + [(str(n), str(n)) for n in range(1, 11)]
        score_fields = []
        for domain, label in Domain.choices:
            self.fields[f"score_{domain}"] = forms.TypedChoiceField(
                label=label, choices=scores, coerce=int, empty_value=None, required=False
            )
            score_fields.append(Field.select(f"score_{domain}"))
        goal_fields = []
        for goal in goals:
            self.fields[f"goal_{goal.pk}_status"] = forms.ChoiceField(
                label=f"Status of: {goal.what}", choices=GoalStatus.choices, initial=goal.status
            )
            self.fields[f"goal_{goal.pk}_note"] = forms.CharField(
                label="Progress note", required=False, max_length=1000
            )
            goal_fields += [Field.select(f"goal_{goal.pk}_status"), f"goal_{goal.pk}_note"]
        self.helper.layout = Layout(
            "held_on",
            Field.textarea("attendees"),
            Field.textarea("summary"),
            "next_review_on",
            Fieldset(
                HTML('<p class="govuk-hint">1 is no progress, 10 is the problem resolved.</p>'),
                *score_fields,
                legend="Progress scores",
                legend_size=Size.MEDIUM,
            ),
            *(
                [Fieldset(*goal_fields, legend="Plan goals", legend_size=Size.MEDIUM)]
                if goals
                else []
            ),
            Button("submit", self.submit),
        )

    def scores(self) -> dict[str, int]:
        return {
            domain: self.cleaned_data[f"score_{domain}"]
            for domain in Domain.values
            if self.cleaned_data.get(f"score_{domain}")
        }

    def goal_changes(self):
        return [
            GoalChange(
                goal=goal,
                status=self.cleaned_data[f"goal_{goal.pk}_status"],
                due_on=goal.due_on,
                note=self.cleaned_data[f"goal_{goal.pk}_note"],
            )
            for goal in self.goals
        ]


class InterventionForm(GovForm):
    submit = "Add intervention"
    intervention_type = forms.ModelChoiceField(
        queryset=InterventionType.objects.filter(is_active=True), label="Type"
    )
    goal = forms.ModelChoiceField(
        queryset=Goal.objects.none(), label="Plan goal it serves", required=False
    )
    provider = forms.CharField(label="Provider", max_length=200)
    starts_on = date_field("Start date")
    ends_on = date_field("End date", required=False)
    cost = MoneyField(label="Cost", min_value=Decimal("0"), max_digits=10)
    paid_from_budget = forms.BooleanField(label="Paid from the family budget", required=False)

    def __init__(self, *args, case_file, has_budget: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = Goal.objects.filter(case_file=case_file)
        self.fields["goal"].label_from_instance = lambda goal: goal.what
        if not has_budget:
            del self.fields["paid_from_budget"]
            self.helper.layout = Layout(*self.layout(), Button("submit", self.submit))

    def layout(self) -> list:
        fields = [
            Field.select("intervention_type"),
            Field.select("goal"),
            Field.text("provider"),
            "starts_on",
            "ends_on",
            Field.text("cost", field_width=10),
        ]
        if "paid_from_budget" in self.fields:
            fields.append(Field.checkbox("paid_from_budget"))
        return fields

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The end date must be on or after the start date")
        return data


class InterventionStatusForm(GovForm):
    submit = "Update"
    status = forms.ChoiceField(label="Status", choices=Intervention.Status.choices)
    ends_on = date_field("End date", required=False)


class DecisionForm(GovForm):
    """A coordinator's yes or no on a request, with a note."""

    submit = "Record decision"
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("approve", "Approve"), ("refuse", "Do not approve")],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    @property
    def approved(self) -> bool:
        return self.cleaned_data["decision"] == "approve"


class BudgetForm(GovForm):
    submit = "Set budget"
    allocation = MoneyField(label="Family budget", min_value=Decimal("0"), max_digits=10)

    def layout(self) -> list:
        return [Field.text("allocation", field_width=10)]


class InterventionTypeForm(GovForm):
    submit = "Add to catalogue"
    name = forms.CharField(label="Name", max_length=120)
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CaseNoteForm(GovForm):
    submit = "Save note"
    contact_type = forms.ChoiceField(
        label="Type of contact", choices=CaseNote.ContactType.choices, widget=forms.RadioSelect
    )
    occurred_on = date_field("Date of the contact", happened=True)
    occurred_time = forms.TimeField(
        label="Time",
        help_text="For example, 14:30",
        input_formats=["%H:%M", "%H.%M"],
        widget=forms.TimeInput(format="%H:%M", attrs={"spellcheck": "false"}),
    )
    people_seen = PeopleChoiceField(
        queryset=Person.objects.none(),
        label="Family members seen",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    others_seen = forms.CharField(label="Anyone else seen", required=False, max_length=300)
    text = forms.CharField(label="What happened", widget=forms.Textarea(attrs={"rows": 8}))
    is_sensitive = forms.BooleanField(
        label="Sensitive: only the family's key worker and coordinators may read it",
        required=False,
        help_text="For example, a disclosure of domestic abuse",
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people_seen"].queryset = members

    def layout(self) -> list:
        return [
            Field.radios("contact_type"),
            "occurred_on",
            Field.text("occurred_time", field_width=5),
            Field.checkboxes("people_seen"),
            Field.text("others_seen"),
            Field.textarea("text"),
            Field.checkbox("is_sensitive"),
        ]

    @property
    def occurred_at(self) -> datetime:
        day: date = self.cleaned_data["occurred_on"]
        at: time = self.cleaned_data["occurred_time"]
        return timezone.make_aware(datetime.combine(day, at))


class AddendumForm(GovForm):
    submit = "Add addendum"
    text = forms.CharField(
        label="Correction or addition",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The note itself stays as it was saved.",
    )


class TaskForm(GovForm):
    submit = "Add task"
    title = forms.CharField(label="Task", max_length=200)
    due_on = date_field("Due")
    assignee = UserChoiceField(queryset=task_assignees(), label="Who does it", empty_label=None)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = task_assignees()

    def layout(self) -> list:
        return [Field.text("title"), "due_on", Field.select("assignee")]


class ClosureRequestForm(GovForm):
    submit = "Ask to close the case"
    reason = forms.ChoiceField(
        label="Why the case should close",
        choices=ClosureRequest.Reason.choices,
        widget=forms.RadioSelect,
    )
    details = forms.CharField(
        label="Details", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def clean(self):
        data = super().clean()
        if data.get("reason") == ClosureRequest.Reason.OTHER and not data.get("details", ""):
            self.add_error("details", "Say why the case should close")
        return data


class ReopenForm(GovForm):
    submit = "Reopen the case"
    reason = forms.CharField(
        label="Why the case is reopened", widget=forms.Textarea(attrs={"rows": 4})
    )


class CaseloadFilterForm(GovForm):
    """The coordinators' caseload filters (a query string: malformed values are ignored)."""

    submit = "Apply filters"
    key_worker = UserChoiceField(
        queryset=key_workers(), label="Key worker", required=False, empty_label="Any key worker"
    )
    status = forms.MultipleChoiceField(
        label="Status",
        choices=CaseFile.Status.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key_worker"].queryset = key_workers()

    def layout(self) -> list:
        return [Field.select("key_worker"), Field.checkboxes("status", small=True)]


class BreakGlassForm(GovForm):
    error_names = {"reason": "why you need to see the case file"}
    submit = "See the case file"
    family = forms.CharField(
        label="Family reference",
        max_length=32,
        error_messages={"required": "Enter the family reference"},
    )
    reason = forms.ChoiceField(
        label="Why do you need to see this family's case file now?",
        choices=BreakGlass.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select why you need to see the case file"},
    )
    details = forms.CharField(
        label="What has happened",
        help_text="For example: police called at 22:10 about the children; the key worker is "
        "on leave. A coordinator reviews every use.",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what has happened"},
    )

    def clean_family(self) -> str:
        return self.cleaned_data["family"].strip()


class BreakGlassReviewForm(GovForm):
    error_names = {"verdict": "whether the emergency access was justified"}
    submit = "Record the review"
    verdict = forms.ChoiceField(
        label="Was the emergency access justified?",
        choices=BreakGlass.Verdict.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the emergency access was justified"},
    )
    note = forms.CharField(
        label="Note",
        help_text="Needed when the access was not justified: what happens next.",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        if data.get("verdict") == BreakGlass.Verdict.NOT_JUSTIFIED and not data.get("note"):
            self.add_error("note", "Enter why the emergency access was not justified")
        return data
