from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator

from accounts.roles import Role
from accounts.second_factor import REQUIRABLE_ROLES
from tfp.forms import GovFormMetaclass, GovUKForm


class SignInForm(AuthenticationForm, metaclass=GovFormMetaclass):
    error_messages = {
        "invalid_login": "Enter the correct username and password",
        "inactive": "This account has been closed. Ask your administrator",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Username"
        # AuthenticationForm sets a max_length without checking it: a longer username would
        # reach the throttle's records (255 characters at most) and fail there.
        for name, longest in (("username", self.username_field.max_length), ("password", 4096)):
            self.fields[name].validators.append(MaxLengthValidator(longest))
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("username", field_width=20, autocomplete="username", spellcheck="false"),
            Field.text("password", field_width=20, autocomplete="current-password"),
            Button("submit", "Sign in"),
        )


class SecondFactorCodeForm(GovUKForm):
    code = forms.CharField(
        label="Code from your authenticator app",
        help_text="The 6-digit code your app shows now, for example 123456",
        max_length=20,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )

    def __init__(self, *args, button: str = "Continue", **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text(
                "code",
                field_width=5,
                autocomplete="one-time-code",
                inputmode="numeric",
                spellcheck="false",
            ),
            Button("submit", button),
        )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not (len(code) == 6 and code.isascii() and code.isdigit()):
            raise forms.ValidationError("Enter the 6 digits of the code, for example 123456")
        return code


class SignInPolicyForm(GovUKForm):
    error_names = {"second_factor_roles": "the roles that must use a second factor"}
    second_factor_roles = forms.MultipleChoiceField(
        label="Which roles must use a second factor?",
        help_text="They set up an authenticator app at their next sign-in.",
        choices=[(role.value, role.label + "s") for role in REQUIRABLE_ROLES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.checkboxes("second_factor_roles", legend_size=Size.MEDIUM),
            Button("submit", "Save"),
        )

    def clean_second_factor_roles(self) -> list[Role]:
        return [Role(value) for value in self.cleaned_data["second_factor_roles"]]
