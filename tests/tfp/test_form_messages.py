"""No form of the service answers in Django's default words: every form class is worded the
GOV.UK way (tfp/forms.py), and every message its fields can give is checked against the
messages Django and crispy-forms-gds would have used."""

from __future__ import annotations

import importlib
from decimal import Decimal
from pathlib import Path

import pytest
from crispy_forms_gds.fields import DateInputField
from django import forms
from django.apps import apps
from django.conf import settings
from django.core import validators

from tfp.forms import GovDateField, GovFormMetaclass, GovUKForm, MoneyField


def _project_form_modules() -> list[str]:
    names = []
    for config in apps.get_app_configs():
        root = Path(config.path)
        if settings.BASE_DIR not in root.parents or "site-packages" in root.parts:
            continue
        for path in root.rglob("forms.py"):
            relative = path.relative_to(settings.BASE_DIR).with_suffix("")
            names.append(".".join(relative.parts))
    return sorted(names)


def _form_classes() -> list[type[forms.BaseForm]]:
    modules = [importlib.import_module(name) for name in _project_form_modules()]
    found = []
    for module in modules:
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, forms.BaseForm)
                and value.__module__ == module.__name__
            ):
                found.append(value)
    return found


def _django_messages() -> set[str]:
    """Every message Django's form fields and validators, and crispy-forms-gds's date input,
    give by default, with their placeholders filled in the way the checks below fill them."""
    fields = [
        forms.CharField(),
        forms.IntegerField(),
        forms.DecimalField(),
        forms.FloatField(),
        forms.DateField(),
        forms.ChoiceField(),
        forms.TypedChoiceField(),
        forms.MultipleChoiceField(),
        forms.FileField(),
        forms.BooleanField(),
        forms.EmailField(),
        forms.ModelChoiceField(queryset=None),
        forms.ModelMultipleChoiceField(queryset=None),
        DateInputField(),
        *DateInputField().fields,
    ]
    messages = {_filled(m) for field in fields for m in field.error_messages.values()}
    for validator in (
        validators.MinValueValidator(0),
        validators.MaxValueValidator(0),
        validators.MinLengthValidator(0),
        validators.MaxLengthValidator(0),
        validators.RegexValidator(),
    ):
        messages.add(_filled(validator.message))
    messages |= {_filled(m) for m in validators.DecimalValidator.messages.values()}
    return messages


def _filled(message) -> str:
    params = {
        "limit_value": 0,
        "show_value": 0,
        "max": 1,
        "value": "x",
        "pk": "x",
        "name": "x",
        "length": 1,
    }
    text = str(message)
    try:
        return text % params
    except (TypeError, ValueError, KeyError):
        return text


def _messages_of(field: forms.Field) -> list[str]:
    messages = [_filled(m) for m in field.error_messages.values()]
    for box in getattr(field, "fields", ()):
        messages += _messages_of(box)
    return messages


FORMS = _form_classes()


def test_the_walk_finds_the_services_forms():
    names = {form.__name__ for form in FORMS}
    assert {"RecalculateForm", "RateCardForm", "TargetsForm", "ImportUploadForm"} <= names


@pytest.mark.parametrize("form", FORMS, ids=lambda form: f"{form.__module__}.{form.__name__}")
def test_every_form_is_worded_the_govuk_way(form):
    assert isinstance(form, GovFormMetaclass)
    django_words = _django_messages()
    for name, field in form.base_fields.items():
        left = [m for m in _messages_of(field) if m in django_words]
        assert not left, f"{form.__name__}.{name} still says {left}"
        if isinstance(field, DateInputField):
            assert isinstance(field, GovDateField), f"{form.__name__}.{name}"
        # A question cannot name its own answer in a sentence ("Enter the why is …").
        if str(field.label or "").endswith("?"):
            assert name in form.error_names, f"{form.__name__}.{name} needs an error name"


class ConsentForm(GovUKForm):
    error_names = {"given_on": "the date consent was given"}
    given_on = GovDateField(label="Date consent was given")
    cost = MoneyField(label="Cost", min_value=0)


def _errors(data: dict) -> dict[str, list[str]]:
    form = ConsentForm(data)
    form.is_valid()
    return {name: list(messages) for name, messages in form.errors.items()}


def test_a_missing_date_and_amount_are_asked_for_by_name():
    assert _errors({}) == {
        "given_on": ["Enter the date consent was given"],
        "cost": ["Enter the cost"],
    }


@pytest.mark.parametrize(
    ("day", "month", "year"), [("31", "2", "2014"), ("x", "2", "2014"), ("1", "2", "14")]
)
def test_a_date_that_is_not_in_the_calendar_must_be_a_real_date(day, month, year):
    data = {"given_on_0": day, "given_on_1": month, "given_on_2": year, "cost": "1"}

    assert _errors(data) == {"given_on": ["Date consent was given must be a real date"]}


def test_a_date_missing_its_month_says_so():
    data = {"given_on_0": "3", "given_on_1": " ", "given_on_2": "2014", "cost": "1"}

    assert _errors(data) == {"given_on": ["Date consent was given must include a month"]}


def test_a_negative_amount_must_be_zero_or_more():
    data = {"given_on_0": "3", "given_on_1": "2", "given_on_2": "2014", "cost": "-1"}

    assert _errors(data) == {"cost": ["Cost must be £0 or more"]}


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("£75.50", "75.50"), ("75.5", "75.50"), (" £1,250 ", "1250.00"), ("0", "0.00")],
)
def test_an_amount_is_read_with_or_without_its_pound_sign(typed, amount):
    form = ConsentForm({"given_on_0": "3", "given_on_1": "2", "given_on_2": "2014", "cost": typed})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["cost"] == Decimal(amount)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("seventy", "Cost must be an amount of money, like £75.50"),
        ("75.505", "Cost must be in pounds and pence, like £75.50"),
    ],
)
def test_an_amount_that_is_not_money_says_how_to_write_it(typed, message):
    data = {"given_on_0": "3", "given_on_1": "2", "given_on_2": "2014", "cost": typed}

    assert _errors(data) == {"cost": [message]}


def test_an_amount_is_shown_with_the_pound_prefix():
    html = str(ConsentForm()["cost"])

    assert '<div class="govuk-input__prefix" aria-hidden="true">£</div>' in html
    assert 'inputmode="decimal"' in html
    assert 'type="number"' not in html
