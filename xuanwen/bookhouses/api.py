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

from django.http import HttpRequest
from ninja import Field, Router, Schema

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import request_user
from xuanwen.core import clock
from xuanwen.facilities.api import PerFacilityOut
from xuanwen.facilities.models import Facility
from xuanwen.records.api import RecordApi, Values, data_as, page_filter, values_of
from xuanwen.records.filters import RecordFilterSet
from xuanwen.records.schemas import Id, Int, ScopeFilter, UnitOut

from . import selectors, services
from .filters import bookhouse_filters, demand_filters, loan_filters, stock_filters
from .models import Demand, Loan, StockEntry

router = Router(tags=["bookhouses 农家书屋"])


# --- Bookhouses ----------------------------------------------------------------------------


class BookhouseOut(UnitOut):
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


bookhouses: RecordApi[Facility, None] = RecordApi(
    router, __name__, "{int:facility_id}/", selectors.get_bookhouse_for_user, arg="facility"
)
bookhouses.list(
    "", BookhouseOut, ScopeFilter, page_filter(bookhouse_filters),
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
    facility: Id | None = Field(None, description="农家书屋编号")
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
    facility: Id = Field(..., description="农家书屋编号（GET /api/v1/bookhouses/）")
    date: date
    kind: str = Field(..., description="books 图书 / av 音像制品 / periodicals 报刊 / shelves 书架")
    count: Int = Field(..., description="新增为正数，剔旧报损为负数")
    source: str = Field(
        ...,
        description="distributed 上级配送 / donated 捐赠 / purchased 自购 / opening 期初盘点 / "
        "removed 剔旧报损",
    )
    note: str = ""


class StockOut(PerFacilityOut):
    id: int
    facility: int
    facility_name: str
    unit: str
    date: date
    kind: str
    count: int
    source: str
    note: str


class StockFilter(RegisterFilter):
    kind: str | None = Field(None, description="books / av / periodicals / shelves")


def _stock_data(user: User, v: Values, current: StockEntry | None) -> services.StockData:
    return data_as(services.StockData, v, facility=_bookhouse(user, v["facility"]))


def _stock_values(e: StockEntry, change: Mapping[str, Any]) -> Values:
    return values_of(e, StockIn)


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
stock.update(StockIn, StockOut, services.stock_update, name="stock", summary="修改藏书登记")
stock.delete(services.stock_delete, name="stock_delete", summary="删除藏书登记")


# --- Loans ---------------------------------------------------------------------------------


class LoanIn(Schema):
    facility: Id = Field(..., description="农家书屋编号")
    lent_on: date
    reader_name: str
    reader_phone: str = ""
    title: str
    due_on: date | None = Field(None, description="不填为借出后 30 天")
    returned_on: date | None = None


class LoanOut(PerFacilityOut):
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
    def resolve_overdue(obj: Loan) -> bool:
        return obj.returned_on is None and obj.due_on < clock.today()


class LoanFilter(RegisterFilter):
    status: str | None = Field(None, description="open 在借 / overdue 逾期 / returned 已归还")


class ReturnIn(Schema):
    returned_on: date | None = Field(None, description="不填为今天")


def _loan_data(user: User, v: Values, current: Loan | None) -> services.LoanData:
    facility = _bookhouse(user, v["facility"])
    return data_as(services.LoanData, v, facility=facility, reader_phone=v["reader_phone"] or "")


def _loan_values(loan: Loan, change: Mapping[str, Any]) -> Values:
    return values_of(loan, LoanIn)


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
loans.update(LoanIn, LoanOut, services.loan_update, name="loan", summary="修改借阅登记")


@router.post("loans/{int:loan_id}/return/", response=LoanOut, summary="归还")
def loan_return(request: HttpRequest, loan_id: int, payload: ReturnIn) -> Loan:
    user = request_user(request)
    loan = selectors.get_loan_for_user(user, loan_id)
    services.loan_return(user=user, loan=loan, on=payload.returned_on)
    return selectors.get_loan_for_user(user, loan_id)


loans.delete(services.loan_delete, name="loan_delete", summary="删除借阅登记")


# --- Demands -------------------------------------------------------------------------------


class DemandIn(Schema):
    facility: Id = Field(..., description="农家书屋编号")
    date: date
    reader_name: str
    reader_phone: str = ""
    wanted: str = Field(..., description="书名或主题")
    status: str = Field(
        "pending", description="pending 待处理 / met 已满足 / reported 已上报 / unmet 无法满足"
    )
    status_date: dt.date | None = Field(None, description="已处理而不填时为当天")
    note: str = ""


class DemandOut(PerFacilityOut):
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


class DemandFilter(RegisterFilter):
    status: str | None = Field(None, description="pending / met / reported / unmet")


def _demand_data(user: User, v: Values, current: Demand | None) -> services.DemandData:
    return data_as(
        services.DemandData, v, facility=_bookhouse(user, v["facility"]),
        # Empty or null (null is allowed on a PATCH) is no phone and no note; no status is pending.
        reader_phone=v["reader_phone"] or "", status=v["status"] or "pending", note=v["note"] or "",
    )  # fmt: skip


def _demand_values(d: Demand, change: Mapping[str, Any]) -> Values:
    return values_of(d, DemandIn)


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
demands.update(DemandIn, DemandOut, services.demand_update, name="demand", summary="修改需求登记")
demands.delete(services.demand_delete, name="demand_delete", summary="删除需求登记")
