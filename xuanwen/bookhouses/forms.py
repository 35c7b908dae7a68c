"""Forms of the bookhouse pages. They parse and present; the rules live in services."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xuanwen.accounts.models import WRITE_ROLES, User
from xuanwen.core import clock
from xuanwen.core.entry import NUMERIC, DateInput, Form
from xuanwen.facilities.models import Facility
from xuanwen.records.forms import cleaned_as, initial_of

from .models import Demand, DemandStatus, Loan, StockEntry, StockKind, StockSource
from .services import DemandData, LoanData, StockData


def may_write_somewhere(user: User) -> bool:
    """Whether the user's role records anything at all (the import pages' gate)."""
    return bool(user.is_superuser or (user.unit_id and user.role in WRITE_ROLES))


class StockForm(Form):
    date = forms.DateField(label=_("日期"), widget=DateInput())
    kind = forms.ChoiceField(label=_("类别"), choices=StockKind.choices, initial=StockKind.BOOKS)
    source = forms.ChoiceField(
        label=_("来源"), choices=StockSource.choices, initial=StockSource.DISTRIBUTED
    )
    count = forms.IntegerField(
        label=_("数量"),
        help_text=_("剔旧报损填负数，如 -20。"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def to_data(self, facility: Facility) -> StockData:
        return cleaned_as(self, StockData, facility=facility)

    @staticmethod
    def initial_from(entry: StockEntry) -> dict[str, Any]:
        return initial_of(entry, ("date", "kind", "source", "count", "note"))


class LoanForm(Form):
    """The quick entry: who and which book; the date is today unless changed."""

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

    def __init__(self, *args: Any, edit: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"lent_on": clock.today()})
        super().__init__(*args, **kwargs)
        if not edit:
            # A new loan has not come back yet; "归还" on the list records that in one tap.
            del self.fields["returned_on"]

    def to_data(self, facility: Facility) -> LoanData:
        return cleaned_as(self, LoanData, facility=facility)

    @staticmethod
    def initial_from(loan: Loan) -> dict[str, Any]:
        names = ("reader_name", "title", "reader_phone", "lent_on", "due_on", "returned_on")
        return initial_of(loan, names)


class DemandForm(Form):
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

    def to_data(self, facility: Facility) -> DemandData:
        return cleaned_as(self, DemandData, facility=facility)

    @staticmethod
    def initial_from(demand: Demand) -> dict[str, Any]:
        names = ("date", "reader_name", "reader_phone", "wanted", "status", "status_date")
        return initial_of(demand, (*names, "note"))


__all__ = ["NUMERIC"]
