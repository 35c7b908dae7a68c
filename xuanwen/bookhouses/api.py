"""Bookhouses in the JSON API: the subtree's bookhouses with their totals, one bookhouse's
summary, and list, detail, create, update and delete for its three registers.

Reads go through the scoped selectors and writes through the services, as on the pages: a
bookhouse or register row outside the caller's subtree is a 404 (as if it did not exist), a
write the caller's role does not allow is a 403, and a broken rule is a 400 whose `errors`
name the field in Chinese.
"""

import datetime as dt
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import request_user
from xuanwen.core import clock
from xuanwen.facilities.models import Facility
from xuanwen.records.api import RecordApi, Values
from xuanwen.records.filters import RecordFilterSet

from . import selectors, services
from .filters import bookhouse_filters, demand_filters, loan_filters, stock_filters
from .models import Demand, Loan, StockEntry

router = Router(tags=["bookhouses 农家书屋"])


# --- Bookhouses ----------------------------------------------------------------------------


class BookhouseOut(Schema):
    id: int
    name: str
    unit: str
    unit_name: str
    area: Decimal | None
    books: int
    av: int
    periodicals: int
    shelves: int
    meets_standard: bool

    @staticmethod
    def resolve_unit(obj: Any) -> str:
        return obj.unit_id

    @staticmethod
    def resolve_unit_name(obj: Any) -> str:
        return obj.unit.name

    @staticmethod
    def resolve_meets_standard(obj: Any) -> bool:
        return selectors.meets_standard(obj)


class CheckOut(Schema):
    label: str
    value: Decimal | int | None
    required: Decimal | int
    met: bool


class SummaryOut(Schema):
    bookhouse: BookhouseOut
    standard: list[CheckOut]
    loans_open: int
    loans_overdue: int
    loans_year: int = Field(..., description="今年借阅次数")
    readers_year: int = Field(..., description="今年借阅读者（去重）")
    demands_year: int
    demands_met_year: int
    demands_pending: int


class BookhouseFilter(Schema):
    unit: str | None = Field(None, description="只看该单位及其下级（区划代码）")


def _bookhouse_search(user: User, f: BookhouseFilter) -> QuerySet[Facility]:
    return bookhouse_filters(user, f.model_dump(exclude_none=True)).qs


bookhouses: RecordApi[Facility, None] = RecordApi(
    router, __name__, "{int:facility_id}/", selectors.get_bookhouse_for_user, arg="facility"
)
bookhouses.list(
    "", BookhouseOut, BookhouseFilter, _bookhouse_search,
    name="bookhouse_list", summary="农家书屋列表（含藏书总数和是否达标）",
)  # fmt: skip


@router.get("{int:facility_id}/summary/", response=SummaryOut, summary="农家书屋概况")
def bookhouse_summary(request: HttpRequest, facility_id: int) -> dict[str, Any]:
    s = selectors.summary(facility_id, request_user(request), clock.today())
    return {
        "bookhouse": s.facility,
        "standard": [
            {"label": c.label, "value": c.value, "required": c.required, "met": c.met}
            for c in s.checks
        ],
        "loans_open": s.loans_open,
        "loans_overdue": s.loans_overdue,
        "loans_year": s.loans_year,
        "readers_year": s.readers_year,
        "demands_year": s.demands_year,
        "demands_met_year": s.demands_met_year,
        "demands_pending": s.demands_pending,
    }


# --- Shared --------------------------------------------------------------------------------


class RegisterFilter(Schema):
    facility: int | None = Field(None, description="农家书屋编号")
    unit: str | None = Field(None, description="只看该单位及其下级（区划代码）")
    start: date | None = Field(None, description="日期不早于")
    end: date | None = Field(None, description="日期不晚于")


def _search(filters: Callable[[User, Any], RecordFilterSet]) -> Callable[[User, Any], Any]:
    """A register's list: the page's filter over the query's values; a bookhouse named
    outside the scope is a 404."""

    def search(user: User, f: RegisterFilter) -> Any:
        if f.facility is not None:
            selectors.get_bookhouse_for_user(user, f.facility)
        return filters(user, f.model_dump(exclude_none=True)).qs

    return search


def _bookhouse(user: User, pk: int) -> Facility:
    return selectors.get_bookhouse_for_user(user, pk)


# --- Stock ---------------------------------------------------------------------------------


class StockIn(Schema):
    facility: int = Field(..., description="农家书屋编号（GET /api/v1/bookhouses/）")
    date: date
    kind: str = Field(..., description="books 图书 / av 音像制品 / periodicals 报刊 / shelves 书架")
    count: int = Field(..., description="新增为正数，剔旧报损为负数")
    source: str = Field(
        ...,
        description="distributed 上级配送 / donated 捐赠 / purchased 自购 / opening 期初盘点 / "
        "removed 剔旧报损",
    )
    note: str = ""


class StockOut(Schema):
    id: int
    facility: int
    facility_name: str
    unit: str
    date: date
    kind: str
    count: int
    source: str
    note: str

    @staticmethod
    def resolve_facility(obj: StockEntry) -> int:
        return obj.facility_id

    @staticmethod
    def resolve_facility_name(obj: StockEntry) -> str:
        return obj.facility.name

    @staticmethod
    def resolve_unit(obj: StockEntry) -> str:
        return obj.facility.unit_id


class StockFilter(RegisterFilter):
    kind: str | None = Field(None, description="books / av / periodicals / shelves")


def _stock_data(user: User, v: Values, current: StockEntry | None) -> services.StockData:
    return services.StockData(
        facility=_bookhouse(user, v["facility"]),
        date=v["date"],
        kind=v["kind"],
        count=v["count"],
        source=v["source"],
        note=v.get("note") or "",
    )


def _stock_values(e: StockEntry, change: Mapping[str, Any]) -> Values:
    return {
        "facility": e.facility_id,
        "date": e.date,
        "kind": e.kind,
        "count": e.count,
        "source": e.source,
        "note": e.note,
    }


stock: RecordApi[StockEntry, services.StockData] = RecordApi(
    router, __name__, "stock/{int:entry_id}/", selectors.get_stock_entry_for_user,
    arg="entry", data=_stock_data, values=_stock_values,
)  # fmt: skip
stock.list(
    "stock/", StockOut, StockFilter, _search(stock_filters),
    name="stock_list", summary="藏书登记列表",
)  # fmt: skip
stock.detail(StockOut, name="stock_detail", summary="藏书登记详情")
stock.create(StockIn, StockOut, services.stock_create, name="stock_create", summary="登记藏书")
stock.replace(
    StockIn,
    StockOut,
    services.stock_update,
    name="stock_replace",
    summary="修改藏书登记（全部字段）",
)
stock.patch(
    StockIn, StockOut, services.stock_update, name="stock_patch", summary="修改藏书登记（部分字段）"
)
stock.delete(services.stock_delete, name="stock_delete", summary="删除藏书登记")


# --- Loans ---------------------------------------------------------------------------------


class LoanIn(Schema):
    facility: int = Field(..., description="农家书屋编号")
    lent_on: date
    reader_name: str
    reader_phone: str = ""
    title: str
    due_on: date | None = Field(None, description="不填为借出后 30 天")
    returned_on: date | None = None


class LoanOut(Schema):
    id: int
    facility: int
    facility_name: str
    unit: str
    lent_on: date
    reader_name: str
    reader_phone: str
    title: str
    due_on: date
    returned_on: date | None
    overdue: bool

    @staticmethod
    def resolve_facility(obj: Loan) -> int:
        return obj.facility_id

    @staticmethod
    def resolve_facility_name(obj: Loan) -> str:
        return obj.facility.name

    @staticmethod
    def resolve_unit(obj: Loan) -> str:
        return obj.facility.unit_id

    @staticmethod
    def resolve_overdue(obj: Loan) -> bool:
        return obj.returned_on is None and obj.due_on < clock.today()


class LoanFilter(RegisterFilter):
    status: str | None = Field(None, description="open 在借 / overdue 逾期 / returned 已归还")


class ReturnIn(Schema):
    returned_on: date | None = Field(None, description="不填为今天")


def _loan_data(user: User, v: Values, current: Loan | None) -> services.LoanData:
    return services.LoanData(
        facility=_bookhouse(user, v["facility"]),
        lent_on=v["lent_on"],
        reader_name=v["reader_name"],
        reader_phone=v.get("reader_phone") or "",
        title=v["title"],
        due_on=v.get("due_on"),
        returned_on=v.get("returned_on"),
    )


def _loan_values(loan: Loan, change: Mapping[str, Any]) -> Values:
    return {
        "facility": loan.facility_id,
        "lent_on": loan.lent_on,
        "reader_name": loan.reader_name,
        "reader_phone": loan.reader_phone,
        "title": loan.title,
        "due_on": loan.due_on,
        "returned_on": loan.returned_on,
    }


loans: RecordApi[Loan, services.LoanData] = RecordApi(
    router, __name__, "loans/{int:loan_id}/", selectors.get_loan_for_user,
    arg="loan", data=_loan_data, values=_loan_values,
    nullable={"due_on", "returned_on", "reader_phone"},
)  # fmt: skip
loans.list(
    "loans/",
    LoanOut,
    LoanFilter,
    _search(loan_filters),
    name="loan_list",
    summary="借阅登记列表（可筛选逾期）",
)
loans.detail(LoanOut, name="loan_detail", summary="借阅登记详情")
loans.create(LoanIn, LoanOut, services.loan_create, name="loan_create", summary="登记借出")
loans.replace(
    LoanIn, LoanOut, services.loan_update, name="loan_replace", summary="修改借阅登记（全部字段）"
)
loans.patch(
    LoanIn, LoanOut, services.loan_update, name="loan_patch", summary="修改借阅登记（部分字段）"
)


@router.post("loans/{int:loan_id}/return/", response=LoanOut, summary="归还")
def loan_return(request: HttpRequest, loan_id: int, payload: ReturnIn) -> Loan:
    user = request_user(request)
    loan = selectors.get_loan_for_user(user, loan_id)
    services.loan_return(user=user, loan=loan, on=payload.returned_on)
    return selectors.get_loan_for_user(user, loan_id)


loans.delete(services.loan_delete, name="loan_delete", summary="删除借阅登记")


# --- Demands -------------------------------------------------------------------------------


class DemandIn(Schema):
    facility: int = Field(..., description="农家书屋编号")
    date: date
    reader_name: str
    reader_phone: str = ""
    wanted: str = Field(..., description="书名或主题")
    status: str = Field(
        "pending", description="pending 待处理 / met 已满足 / reported 已上报 / unmet 无法满足"
    )
    status_date: dt.date | None = Field(None, description="已处理而不填时为当天")
    note: str = ""


class DemandOut(Schema):
    id: int
    facility: int
    facility_name: str
    unit: str
    date: date
    reader_name: str
    reader_phone: str
    wanted: str
    status: str
    status_date: dt.date | None
    note: str

    @staticmethod
    def resolve_facility(obj: Demand) -> int:
        return obj.facility_id

    @staticmethod
    def resolve_facility_name(obj: Demand) -> str:
        return obj.facility.name

    @staticmethod
    def resolve_unit(obj: Demand) -> str:
        return obj.facility.unit_id


class DemandFilter(RegisterFilter):
    status: str | None = Field(None, description="pending / met / reported / unmet")


def _demand_data(user: User, v: Values, current: Demand | None) -> services.DemandData:
    return services.DemandData(
        facility=_bookhouse(user, v["facility"]),
        date=v["date"],
        reader_name=v["reader_name"],
        reader_phone=v.get("reader_phone") or "",
        wanted=v["wanted"],
        status=v.get("status") or "pending",
        status_date=v.get("status_date"),
        note=v.get("note") or "",
    )


def _demand_values(d: Demand, change: Mapping[str, Any]) -> Values:
    return {
        "facility": d.facility_id,
        "date": d.date,
        "reader_name": d.reader_name,
        "reader_phone": d.reader_phone,
        "wanted": d.wanted,
        "status": d.status,
        "status_date": d.status_date,
        "note": d.note,
    }


demands: RecordApi[Demand, services.DemandData] = RecordApi(
    router, __name__, "demands/{int:demand_id}/", selectors.get_demand_for_user,
    arg="demand", data=_demand_data, values=_demand_values,
    nullable={"status_date", "reader_phone", "note"},
)  # fmt: skip
demands.list(
    "demands/", DemandOut, DemandFilter, _search(demand_filters),
    name="demand_list", summary="需求登记列表",
)  # fmt: skip
demands.detail(DemandOut, name="demand_detail", summary="需求登记详情")
demands.create(
    DemandIn, DemandOut, services.demand_create, name="demand_create", summary="登记需求"
)
demands.replace(
    DemandIn, DemandOut, services.demand_update,
    name="demand_replace", summary="修改需求登记（全部字段）",
)  # fmt: skip
demands.patch(
    DemandIn, DemandOut, services.demand_update,
    name="demand_patch", summary="修改需求登记（部分字段）",
)  # fmt: skip
demands.delete(services.demand_delete, name="demand_delete", summary="删除需求登记")
