"""The pieces every entry form and list filter shares: phone-friendly inputs, htmx, errors.

Every app's forms build on these, so that a date is the phone's own picker everywhere and labels
stand above inputs. The unit pickers built on them are the units app's (units.pickers).
"""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

CALENDAR_YEARS = (1901, 2099)

NUMERIC = {"inputmode": "numeric", "pattern": "[0-9]*", "min": "0"}


class DateInput(forms.DateInput):
    """A native date picker: on a phone the system's own wheel, no typing of dashes."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class Form(forms.Form):
    """A form whose labels stand above their inputs, so they need no trailing colon."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


def is_htmx(request: HttpRequest) -> bool:
    """Whether htmx asked for a fragment (the same URL answers with a fragment or a page)."""
    return request.headers.get("HX-Request") == "true"


def errors_to_form(form: Any, exc: ValidationError) -> None:
    """A service's rule errors onto the form's fields (the rest above the form)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def options_html(choices: Iterable[tuple[Any, str]], selected: Any) -> SafeString:
    """<option>s of (value, label) pairs built in one pass, `selected` marked: a template loop
    over a select's options cost more than the rest of a list page."""
    chosen = str(selected) if selected not in (None, "") else None
    return mark_safe(  # noqa: S308 — every value is escaped here
        "".join(
            f'<option value="{escape(value)}"{" selected" if str(value) == chosen else ""}>'
            f"{escape(label)}</option>"
            for value, label in choices
        )
    )
