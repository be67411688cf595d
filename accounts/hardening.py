"""Fixes for third-party code that would turn bad input into a server error.

Applied once at start-up (``AccountsConfig.ready``) so every form in every app is covered,
including forms written later.
"""

from __future__ import annotations

from crispy_forms_gds.fields import DateInputField
from django.core.exceptions import ValidationError

_compress = DateInputField.compress


def _compress_refusing_impossible_dates(self, data_list):
    # crispy-forms-gds lets two kinds of bad date through. A part typed as spaces only is
    # blank once cleaned, and the date became None even in a required field (a view then
    # compared None with a date). A year too large for a C integer raised OverflowError, not
    # the ValueError it turns into a form error.
    if not all(data_list) and (self.required or any(data_list)):
        raise ValidationError(self.error_messages["incomplete"], code="incomplete")
    try:
        return _compress(self, data_list)
    except OverflowError as error:
        raise ValidationError("Enter a real date", code="invalid") from error


def harden_third_party_forms() -> None:
    DateInputField.compress = _compress_refusing_impossible_dates
