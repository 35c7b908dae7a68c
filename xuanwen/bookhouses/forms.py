"""Forms of the bookhouse pages. They parse and present; the rules live in services."""

from typing import Any

from django import forms
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from xuanwen.accounts.models import WRITE_ROLES, User
from xuanwen.core import clock
from xuanwen.core.entry import NUMERIC, DateInput, Form
from xuanwen.facilities.models import Facility
from xuanwen.records.forms import cleaned_as, held_int, initial_of

from .models import DemandStatus, StockEntry, StockKind, StockSource
from .services import DemandData, LoanData, StockData


def may_write_somewhere(user: User) -> bool:
    """Whether the user's role records anything at all (the import pages' gate)."""
    return bool(user.is_superuser or (user.unit_id and user.role in WRITE_ROLES))


class RegisterForm(Form):
    """A register's row (stock, loan, demand) for one bookhouse: a new one, or an existing
    `row` whose `names` fill the form; `to_data` gives the service's `data_class`."""

    names: tuple[str, ...]
    data_class: type[Any]

    def __init__(self, data: Any = None, *, row: Model | None = None, **kwargs: Any) -> None:
        if row is not None:
            kwargs["initial"] = initial_of(row, self.names)
        super().__init__(data, **kwargs)

    def to_data(self, facility: Facility) -> Any:
        return cleaned_as(self, self.data_class, facility=facility)


class StockForm(RegisterForm):
    names = ("date", "kind", "source", "count", "note")
    data_class = StockData

    date = forms.DateField(label=_("日期"), widget=DateInput())
    kind = forms.ChoiceField(label=_("类别"), choices=StockKind.choices, initial=StockKind.BOOKS)
    source = forms.ChoiceField(
        label=_("来源"), choices=StockSource.choices, initial=StockSource.DISTRIBUTED
    )
    count = held_int(
        StockEntry,
        "count",
        help_text=_("剔旧报损填负数，如 -20。"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


class LoanForm(RegisterForm):
    """The quick entry: who and which book; the date is today unless changed."""

    names = ("reader_name", "title", "reader_phone", "lent_on", "due_on", "returned_on")
    data_class = LoanData

    reader_name = forms.CharField(label=_("读者"), max_length=50)
    title = forms.CharField(label=_("书名"), max_length=200)
    reader_phone = forms.CharField(
        label=_("联系电话"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    lent_on = forms.DateField(label=_("借出日期"), widget=DateInput())
    due_on = forms.DateField(
        label=_("应还日期"),
        required=False,
        widget=DateInput(),
        help_text=_("不填为借出后 30 天。"),
    )
    returned_on = forms.DateField(label=_("归还日期"), required=False, widget=DateInput())

    def __init__(self, data: Any = None, *, row: Model | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"lent_on": clock.today()})
        super().__init__(data, row=row, **kwargs)
        if row is None:
            # A new loan has not come back yet; "归还" on the list records that in one tap.
            del self.fields["returned_on"]


class DemandForm(RegisterForm):
    names = ("date", "reader_name", "reader_phone", "wanted", "status", "status_date", "note")
    data_class = DemandData

    date = forms.DateField(label=_("登记日期"), widget=DateInput())
    reader_name = forms.CharField(label=_("读者"), max_length=50)
    reader_phone = forms.CharField(
        label=_("联系电话"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    wanted = forms.CharField(label=_("需求（书名或主题）"), max_length=200)
    status = forms.ChoiceField(
        label=_("处理情况"), choices=DemandStatus.choices, initial=DemandStatus.PENDING
    )
    status_date = forms.DateField(
        label=_("处理日期"),
        required=False,
        widget=DateInput(),
        help_text=_("已处理而不填时记为当天。"),
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)


__all__ = ["NUMERIC"]
