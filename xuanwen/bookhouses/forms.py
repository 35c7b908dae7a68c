"""Forms of the bookhouse pages. They parse and present; the rules live in services."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xuanwen.accounts.models import WRITE_ROLES, User
from xuanwen.core import clock
from xuanwen.core.entry import NUMERIC, DateInput, Form
from xuanwen.facilities.models import Facility

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
        c = self.cleaned_data
        return StockData(
            facility=facility,
            date=c["date"],
            kind=c["kind"],
            count=c["count"],
            source=c["source"],
            note=c["note"],
        )

    @staticmethod
    def initial_from(entry: StockEntry) -> dict[str, Any]:
        return {
            "date": entry.date,
            "kind": entry.kind,
            "source": entry.source,
            "count": entry.count,
            "note": entry.note,
        }


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
        c = self.cleaned_data
        return LoanData(
            facility=facility,
            lent_on=c["lent_on"],
            reader_name=c["reader_name"],
            reader_phone=c["reader_phone"],
            title=c["title"],
            due_on=c.get("due_on"),
            returned_on=c.get("returned_on"),
        )

    @staticmethod
    def initial_from(loan: Loan) -> dict[str, Any]:
        return {
            "reader_name": loan.reader_name,
            "title": loan.title,
            "reader_phone": loan.reader_phone,
            "lent_on": loan.lent_on,
            "due_on": loan.due_on,
            "returned_on": loan.returned_on,
        }


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
        c = self.cleaned_data
        return DemandData(
            facility=facility,
            date=c["date"],
            reader_name=c["reader_name"],
            reader_phone=c["reader_phone"],
            wanted=c["wanted"],
            status=c["status"],
            status_date=c.get("status_date"),
            note=c["note"],
        )

    @staticmethod
    def initial_from(demand: Demand) -> dict[str, Any]:
        return {
            "date": demand.date,
            "reader_name": demand.reader_name,
            "reader_phone": demand.reader_phone,
            "wanted": demand.wanted,
            "status": demand.status,
            "status_date": demand.status_date,
            "note": demand.note,
        }


__all__ = ["NUMERIC"]
