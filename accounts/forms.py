from __future__ import annotations

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button, Field, Layout, Size
from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.contrib.auth.validators import UnicodeUsernameValidator
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


class SecondFactorSetUpForm(SecondFactorCodeForm):
    """Setting up an app asks for the password again: whoever holds the session a moment after
    the policy is switched on must also know the password to bind their phone to it."""

    password = forms.CharField(
        label="Your password",
        widget=forms.PasswordInput,
        max_length=4096,
        error_messages={"required": "Enter your password"},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, button="Confirm and continue", **kwargs)
        self.user = user
        self.helper.layout.insert(
            0, Field.text("password", field_width=20, autocomplete="current-password")
        )

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("The password is not right")
        return password


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


def _role_choices() -> list[tuple[str, str]]:
    return [(role.value, role.label) for role in Role]


class UserAddForm(GovUKForm):
    username = forms.CharField(
        label="Username",
        help_text="What they type to sign in, for example jsmith",
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        error_messages={"required": "Enter a username"},
    )
    first_name = forms.CharField(
        label="First name", max_length=150, error_messages={"required": "Enter a first name"}
    )
    last_name = forms.CharField(
        label="Last name", max_length=150, error_messages={"required": "Enter a last name"}
    )
    email = forms.EmailField(
        label="Email address",
        required=False,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com"
        },
    )
    roles = forms.MultipleChoiceField(
        label="Roles",
        choices=_role_choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one role"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("username", field_width=20, autocomplete="off", spellcheck="false"),
            Field.text("first_name", field_width=20, autocomplete="off"),
            Field.text("last_name", field_width=20, autocomplete="off"),
            Field.text("email", field_width=30, autocomplete="off", spellcheck="false"),
            Field.checkboxes("roles", legend_size=Size.SMALL),
            Button("submit", "Add user"),
        )

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("A user with this username already exists")
        return username

    def clean_roles(self) -> set[Role]:
        return {Role(value) for value in self.cleaned_data["roles"]}


class UserChangeForm(GovUKForm):
    roles = forms.MultipleChoiceField(
        label="Roles",
        choices=_role_choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    second_factor_required = forms.BooleanField(
        label="Require a second factor of this person, whatever their roles",
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.checkboxes("roles", legend_size=Size.MEDIUM),
            Field.checkbox("second_factor_required"),
            Button("submit", "Save changes"),
        )

    def clean_roles(self) -> set[Role]:
        return {Role(value) for value in self.cleaned_data["roles"]}


class PasswordChooseForm(SetPasswordForm, metaclass=GovFormMetaclass):
    """Choosing one's own password from a one-time sign-in link."""

    error_messages = {"password_mismatch": "The two passwords do not match"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].label = "Confirm new password"
        self.fields["new_password2"].error_messages["required"] = "Confirm your new password"
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field.text("new_password1", field_width=20, autocomplete="new-password"),
            Field.text("new_password2", field_width=20, autocomplete="new-password"),
            Button("submit", "Save password"),
        )
