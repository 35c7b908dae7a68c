"""records.pages.save_form: a batch service's refusal, row by row, on the form's fields."""

from django import forms
from django.core.exceptions import ValidationError

from xuanwen.core.imports import Rejected
from xuanwen.records.pages import save_form


class TwoRows(forms.Form):
    r0_hours = forms.IntegerField(required=False)
    r1_hours = forms.IntegerField(required=False)


def refuse(exc: ValidationError) -> None:
    raise exc


def test_row_field_puts_each_rows_problem_on_its_input_and_the_rest_above() -> None:
    form = TwoRows({"r0_hours": "1", "r1_hours": "2"})
    assert form.is_valid()
    rejected = Rejected({1: {"hours": "太长了。", "unit": "不是您的单位。"}})
    saved = save_form(
        form,
        lambda: refuse(rejected),
        row_field=lambda i, name: f"r{i}_{name}",  # r1_unit is no field: above the form
    )
    assert saved is None
    assert form.errors["r1_hours"] == ["太长了。"]
    assert form.non_field_errors() == ["不是您的单位。"]


def test_without_row_field_a_rejection_is_said_above_the_form_by_row() -> None:
    form = TwoRows({"r0_hours": "1"})
    assert form.is_valid()
    assert save_form(form, lambda: refuse(Rejected({0: {"hours": "太长了。"}}))) is None
    assert form.non_field_errors() == ["第 1 行：太长了。"]
    # A plain rule error still lands on its field.
    assert save_form(form, lambda: refuse(ValidationError({"r0_hours": "不对。"}))) is None
    assert form.errors["r0_hours"] == ["不对。"]
