"""Forms in the GOV.UK style: every error message worded as the Design System words them.

Django's own messages ("This field is required.", "Enter a valid date.", "Ensure this value is
greater than or equal to 0.") never reach a page. Each field is named in its messages by its
label ("Attachment date" gives "Enter the attachment date" and "Attachment date must be a real
date"), or by ``error_names`` where the label is a question or reads badly in a sentence. A
message written on the field itself is kept as it is.
"""

from __future__ import annotations

import copy
import re
from datetime import date
from decimal import Decimal

from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core.exceptions import ValidationError
from django.forms.forms import DeclarativeFieldsMetaclass

# Words in a label that say how to answer rather than what the answer is.
_LABEL_ASIDES = re.compile(r"\s*\((?:optional|£|%)\)\s*$", re.IGNORECASE)
_ARTICLE = re.compile(r"^(?:the|a|an) ", re.IGNORECASE)


def error_name(label: str) -> str:
    """'Attachment fee (£)' -> 'the attachment fee': the field as a sentence names it."""
    name = _LABEL_ASIDES.sub("", str(label)).rstrip("?").strip()
    if not name:
        return "an answer"
    # Keep acronyms and names ("ASB", "DWP") as they are; lower an ordinary first word.
    if not (len(name) > 1 and name[1].isupper()):
        name = name[0].lower() + name[1:]
    return name if _ARTICLE.match(name) else f"the {name}"


def sentence_start(name: str) -> str:
    """'the date consent was given' -> 'Date consent was given', to open a sentence."""
    name = _ARTICLE.sub("", name)
    return name[0].upper() + name[1:]


def _django_defaults(field: forms.Field) -> dict[str, str]:
    """The messages Django (or crispy-forms-gds) gives ``field``'s class by default."""
    messages: dict[str, str] = {}
    for klass in reversed(type(field).__mro__):
        messages.update(getattr(klass, "default_error_messages", {}))
    return {key: str(value) for key, value in messages.items()}


def _is_choice(field: forms.Field) -> bool:
    return isinstance(field, (forms.ChoiceField, forms.ModelChoiceField, forms.FileField))


def _is_number(field: forms.Field) -> bool:
    return isinstance(field, (forms.IntegerField, forms.DecimalField, forms.FloatField))


def govuk_messages(field: forms.Field, name: str) -> dict[str, str]:
    """The GOV.UK messages for ``field``, named ``name`` ('the cost')."""
    start = sentence_start(name)
    if isinstance(field, GovDateField):
        return field.messages_for(name)
    if isinstance(field, forms.FileField):
        return {
            "required": f"Select {name}",
            "invalid": f"{start} must be a file",
            "missing": f"Select {name}",
            "contradiction": f"Select {name}",
            "empty": f"{start} is empty",
            "max_length": f"{start}'s name must be %(max)d characters or fewer",
        }
    if _is_choice(field):
        return {
            "required": f"Select {name}",
            "invalid_choice": f"Select {name} from the list",
            "invalid_list": f"Select {name}",
            "invalid_pk_value": f"Select {name} from the list",
        }
    if _is_number(field):
        money = isinstance(field, MoneyField)
        pound = "£" if money else ""
        kind = "an amount of money, like £75.50" if money else "a number"
        if isinstance(field, forms.IntegerField) and not isinstance(field, forms.DecimalField):
            kind = "a whole number"
        too_long = f"{start} must be %(max)s digits or fewer"
        if money:
            too_long = f"{start} must be less than £{10 ** (field.max_digits - 2):,}"
        return {
            "required": f"Enter {name}",
            "invalid": f"{start} must be {kind}",
            "min_value": f"{start} must be {pound}%(limit_value)s or more",
            "max_value": f"{start} must be {pound}%(limit_value)s or less",
            "max_digits": too_long,
            "max_decimal_places": (
                f"{start} must be in pounds and pence, like £75.50"
                if money
                else f"{start} must have %(max)s decimal places or fewer"
            ),
            "max_whole_digits": too_long,
            "step_size": f"{start} must be a multiple of %(limit_value)s",
        }
    return {
        "required": f"Enter {name}",
        "invalid": f"Enter {name} in the right format",
        "max_length": f"{start} must be %(limit_value)d characters or fewer",
        "min_length": f"{start} must be %(limit_value)d characters or more",
    }


def apply_govuk_messages(fields: dict[str, forms.Field], names: dict[str, str]) -> None:
    """Replace every default message of ``fields`` with its GOV.UK wording, in place."""
    for key, field in fields.items():
        name = names.get(key) or error_name(field.label or key.replace("_", " "))
        defaults = getattr(field, "unworded", None) or _django_defaults(field)
        wanted = govuk_messages(field, name)
        for code, message in wanted.items():
            current = field.error_messages.get(code)
            if current is None or str(current) == defaults.get(code):
                field.error_messages[code] = message
        if isinstance(field, GovDateField):
            field.name_parts(name)


class GovDateField(DateInputField):
    """A day, month and year, refused in the Design System's words ('Date consent was given
    must be a real date', '… must include a month'), never Python's ('day is out of range')."""

    PARTS = ("day", "month", "year")

    def __init__(self, **kwargs):
        kwargs.setdefault("require_all_fields", False)
        super().__init__(**kwargs)
        # crispy-forms-gds's own wording ("Enter the day, month and year") counts as unworded.
        self.unworded = {**_django_defaults(self), **self.error_messages}
        self.name_parts("the date")

    def messages_for(self, name: str) -> dict[str, str]:
        return {
            "required": f"Enter {name}",
            "incomplete": f"Enter {name}",
            "invalid": f"{sentence_start(name)} must be a real date",
        }

    def name_parts(self, name: str) -> None:
        """The day, month and year boxes name the date they belong to in their messages (a
        box's own "invalid" message replaces its digits-only validator's)."""
        self.real_date = f"{sentence_start(name)} must be a real date"
        for part, box in zip(self.PARTS, self.fields, strict=True):
            # A box typed as spaces only is blank once cleaned: "required" then, not "incomplete".
            for code in ("incomplete", "required"):
                box.error_messages[code] = f"{sentence_start(name)} must include a {part}"
            box.error_messages["invalid"] = self.real_date

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        # A two-digit year would silently mean the first century.
        if len(str(year).strip()) != 4:
            raise ValidationError(self.real_date, code="invalid")
        try:
            return date(day=int(day), month=int(month), year=int(year))
        except ValueError:
            raise ValidationError(self.real_date, code="invalid") from None


class MoneyInput(forms.TextInput):
    """A text box with the GOV.UK '£' prefix, inputmode decimal (never type=number, which
    refuses '£75.50' and hides mistakes behind spinners)."""

    template_name = "tfp/widgets/money.html"

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "spellcheck": "false", **(attrs or {})})


class MoneyField(forms.DecimalField):
    """An amount in pounds and pence; '£75.50', '75.5' and '1,250' are all accepted."""

    widget = MoneyInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        # DecimalField would add step and min attributes meant for type=number.
        return forms.Field.widget_attrs(self, widget)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", "").removeprefix("£").strip()
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return f"{value:.2f}"
        return value


class GovFormMetaclass(DeclarativeFieldsMetaclass):
    """Words every declared field's messages when the form class is made, so the messages are
    there to read (and to test) on the class itself."""

    def __new__(mcs, name, bases, attrs):
        cls = super().__new__(mcs, name, bases, attrs)
        # A copy: a subclass may name a field its parent declared differently.
        cls.base_fields = copy.deepcopy(cls.base_fields)
        apply_govuk_messages(cls.base_fields, getattr(cls, "error_names", {}))
        return cls


class GovUKForm(forms.Form, metaclass=GovFormMetaclass):
    """The base of every form of the service. ``error_names`` names a field in its messages
    where the label does not: ``{"given_by": "who consented"}``."""

    error_names: dict[str, str] = {}

    def full_clean(self):
        # Fields added in a form's __init__ (one per domain of an assessment) are worded here.
        apply_govuk_messages(self.fields, self.error_names)
        super().full_clean()
