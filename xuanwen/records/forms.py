"""Form pieces every record type repeats: the record's unit (a select of the units the user may
write for, or the search picker when the subtree is too large to list) and a lookup's choices
that keep a retired value for the record that already uses it, and an integer field bounded by
what its column holds (`held_int`), so that no number reaches a database that cannot keep it.

An app's entry form subclasses UnitForm, names its unit field's label and refusal, and declares
its own fields; the rules stay in its services. A dated register's form subclasses
RegisterForm, which adds the kind and the record being edited.
"""

import dataclasses
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from django import forms
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_write
from xuanwen.core.bounds import held_range
from xuanwen.core.entry import DateInput, Form
from xuanwen.core.scope import Scope
from xuanwen.units.models import Unit
from xuanwen.units.pickers import unit_label
from xuanwen.units.selectors import units_for

if TYPE_CHECKING:
    from _typeshed import DataclassInstance
    from django_stubs_ext import StrOrPromise

LookupT = TypeVar("LookupT", bound=models.Model)
DataT = TypeVar("DataT", bound="DataclassInstance")


class UnitForm(Form):
    """A form with the record's unit, first among its fields.

    `units` are the units the user may write for (units.pickers.writable_units): a select of
    them, or, when None (too many to list), a hidden code the page's search picker fills in
    (`unit_typed`: a visible code box instead, for a page without the picker). The cleaned
    unit is a Unit in the user's scope that the user may write for.
    """

    unit_label_text: "StrOrPromise" = _("所属单位")
    unit_refused: "StrOrPromise" = _("请选择您可以登记的单位。")
    unit_typed: "StrOrPromise | None" = None  # help text of a typed code box, if the page has one

    def __init__(self, *args: Any, user: User, units: list[Unit] | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.units = units
        field: forms.Field
        if units is not None:
            field = forms.ChoiceField(
                label=self.unit_label_text,
                choices=[(u.code, unit_label(u, user.scope)) for u in units],
            )
        elif self.unit_typed is not None:
            field = forms.CharField(
                label=self.unit_label_text, max_length=12, help_text=self.unit_typed
            )
        else:
            field = forms.CharField(
                label=self.unit_label_text, max_length=12, widget=forms.HiddenInput()
            )
        self.fields["unit"] = field
        self.order_fields(["unit", *[n for n in self.fields if n != "unit"]])

    def clean_unit(self) -> Unit:
        unit = units_for(self.user).filter(code=self.cleaned_data["unit"]).first()
        if unit is None or not can_write(self.user, unit.code):
            raise forms.ValidationError(self.unit_refused)
        return unit


def offered(model: type[LookupT], scope: Scope, current: int | None = None) -> QuerySet[LookupT]:
    """The active rows of a vocabulary (activity types, facility kinds, team genres) that
    `scope` sees, for an entry form, and the one a record already uses though retired since
    (or another unit's): editing the record keeps its value."""
    keep = Q(active=True) & scope.sees_owned()
    if current is not None:
        keep |= Q(pk=current)
    return model._default_manager.filter(keep)


def held_int(model: type[models.Model], name: str, **kwargs: Any) -> forms.IntegerField:
    """An entry form's integer field for `model.name`, labelled with the field's name, refusing
    a value its column cannot hold on either database (a form error, not a 500); `min_value`
    and `max_value` in `kwargs` narrow the range by the form's rule (not below zero)."""
    low, high = held_range(model, name)
    low = max(low, kwargs.pop("min_value", low))
    high = min(high, kwargs.pop("max_value", high))
    field = model._meta.get_field(name)
    if isinstance(field, models.Field):  # a column, not a reverse relation
        kwargs.setdefault("label", field.verbose_name)
    return forms.IntegerField(min_value=low, max_value=high, **kwargs)


def cleaned_as(form: forms.Form, data_class: type[DataT], **values: Any) -> DataT:
    """The form's cleaned values as a service's data class: each of its fields the form has,
    by name, and `values` for those the form reads otherwise (a person looked up by name)."""
    names = {f.name for f in dataclasses.fields(data_class)}
    cleaned = {k: v for k, v in form.cleaned_data.items() if k in names}
    return data_class(**{**cleaned, **values})


def initial_of(record: models.Model, names: Iterable[str], **values: Any) -> dict[str, Any]:
    """An edit form's initial values from its record: each named field's value (a foreign
    key's id) and `values` for fields the form shows otherwise."""
    return {n: record.serializable_value(n) for n in names} | values


# --- The entry form of a dated register (facilities, households, designations) -------------


class RegisterForm(UnitForm):
    """The entry form of a dated register: the unit, a kind from the register's catalogue
    (`kind = kind_field(FacilityKind)`: a kind retired since stays offered to the record that
    uses it) and the register's own fields, declared by the subclass (with `date_field` and
    `note_field` where they fit). The record being edited comes as the keyword `record_name`
    (RecordPages.name), its values as the form's initial ones (`initial_fields`)."""

    record_name: ClassVar[str]  # "facility": the keyword RecordPages hands the record as
    initial_fields: ClassVar[tuple[str, ...]]

    def __init__(self, *args: Any, user: User, units: list[Unit] | None, **kwargs: Any) -> None:
        record = kwargs.pop(self.record_name, None)
        if record is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(record)
        super().__init__(*args, user=user, units=units, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ModelChoiceField) and kind.queryset is not None
        current = record.kind_id if record is not None else None
        kind.queryset = offered(kind.queryset.model, user.scope, current)

    def initial_from(self, record: Any) -> dict[str, Any]:
        """An edit form's initial values (a subclass adds those it shows otherwise)."""
        return initial_of(record, self.initial_fields)


def kind_field(
    model: type[models.Model], label: "StrOrPromise | None" = None
) -> forms.ModelChoiceField:
    """The select of a register's kind (a row of `model`, "类型" unless `label` says other);
    each form offers the active ones (see RegisterForm)."""
    none = model._default_manager.none()
    return forms.ModelChoiceField(label=label or _("类型"), queryset=none, empty_label=_("请选择"))


def date_field(label: "StrOrPromise", help_text: "StrOrPromise") -> forms.DateField:
    """A real-world start or end date (opened_on, revoked_on …): optional, a date picker."""
    return forms.DateField(label=label, required=False, widget=DateInput(), help_text=help_text)


def note_field() -> forms.CharField:
    """A record's free note (备注): a few lines, optional."""
    return forms.CharField(
        label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
