"""Bookhouses in the JSON API: the subtree's bookhouses with their totals, one bookhouse's
summary, and list, detail, create, update and delete for its three registers.

Reads go through the scoped selectors and writes through the services, as on the pages: a
bookhouse or register row outside the caller's subtree is a 404 (as if it did not exist), a
write the caller's role does not allow is a 403, and a broken rule is a 400 whose `errors`
name the field in Chinese.
"""

import datetime as dt
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, PatchDict, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import request_user
from xuanwen.core import clock, tree
from xuanwen.facilities.models import Facility
from xuanwen.units.selectors import get_unit_for_user

from . import selectors, services
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


@router.get("", response=list[BookhouseOut], summary="农家书屋列表（含藏书总数和是否达标）")
@paginate(PageNumberPagination)
def bookhouse_list(request: HttpRequest, filters: Query[BookhouseFilter]) -> Any:
    user = request_user(request)
    qs = selectors.with_totals(selectors.bookhouses_for(user)).select_related("unit")
    if filters.unit:
        unit = get_unit_for_user(user, filters.unit)  # outside the scope: 404, as elsewhere
        qs = qs.filter(tree.subtree_q(unit.code, "unit_id"))
    return qs.order_by("unit_id", "name", "pk")


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


def _register_filter(user: User, filters: Any, **extra: Any) -> selectors.RegisterFilter:
    if filters.facility is not None:
        selectors.get_bookhouse_for_user(user, filters.facility)  # outside the scope: 404
    if filters.unit:
        get_unit_for_user(user, filters.unit)
    return selectors.RegisterFilter(
        facility_id=filters.facility,
        unit=filters.unit or "",
        start=filters.start,
        end=filters.end,
        **extra,
    )


def _bookhouse(user: User, pk: int) -> Facility:
    return selectors.get_bookhouse_for_user(user, pk)


def _no_nulls(payload: dict[str, Any], nullable: set[str]) -> None:
    # null is a value only where the field may be empty; elsewhere it is a mistake, named.
    nulls = [k for k, v in payload.items() if v is None and k not in nullable]
    if nulls:
        raise ValidationError({k: _("不能为空。") for k in nulls})


def _merge(current: dict[str, Any], payload: dict[str, Any], nullable: set[str]) -> dict[str, Any]:
    _no_nulls(payload, nullable)
    return {**current, **payload}


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


def _stock_data(user: User, v: dict[str, Any]) -> services.StockData:
    return services.StockData(
        facility=_bookhouse(user, v["facility"]),
        date=v["date"],
        kind=v["kind"],
        count=v["count"],
        source=v["source"],
        note=v.get("note") or "",
    )


def _stock_values(e: StockEntry) -> dict[str, Any]:
    return {
        "facility": e.facility_id,
        "date": e.date,
        "kind": e.kind,
        "count": e.count,
        "source": e.source,
        "note": e.note,
    }


@router.get("stock/", response=list[StockOut], summary="藏书登记列表")
@paginate(PageNumberPagination)
def stock_list(request: HttpRequest, filters: Query[StockFilter]) -> Any:
    user = request_user(request)
    return selectors.stock_search(user, _register_filter(user, filters, kind=filters.kind or ""))


@router.get("stock/{int:entry_id}/", response=StockOut, summary="藏书登记详情")
def stock_detail(request: HttpRequest, entry_id: int) -> StockEntry:
    return selectors.get_stock_entry_for_user(request_user(request), entry_id)


@router.post("stock/", response={201: StockOut}, summary="登记藏书")
def stock_create(request: HttpRequest, payload: StockIn) -> StockEntry:
    user = request_user(request)
    entry = services.stock_create(user=user, data=_stock_data(user, payload.model_dump()))
    return selectors.get_stock_entry_for_user(user, entry.pk)


def _stock_update(request: HttpRequest, entry_id: int, values: Callable[[Any], Any]) -> Any:
    user = request_user(request)
    entry = selectors.get_stock_entry_for_user(user, entry_id)
    data = _stock_data(user, values(entry))
    services.stock_update(user=user, entry=entry, data=data)
    return selectors.get_stock_entry_for_user(user, entry_id)


@router.put("stock/{int:entry_id}/", response=StockOut, summary="修改藏书登记（全部字段）")
def stock_replace(request: HttpRequest, entry_id: int, payload: StockIn) -> StockEntry:
    return _stock_update(request, entry_id, lambda _e: payload.model_dump())


@router.patch("stock/{int:entry_id}/", response=StockOut, summary="修改藏书登记（部分字段）")
def stock_patch(request: HttpRequest, entry_id: int, payload: PatchDict[StockIn]) -> StockEntry:
    return _stock_update(request, entry_id, lambda e: _merge(_stock_values(e), payload, set()))


@router.delete("stock/{int:entry_id}/", response={204: None}, summary="删除藏书登记")
def stock_delete(request: HttpRequest, entry_id: int) -> None:
    user = request_user(request)
    services.stock_delete(user=user, entry=selectors.get_stock_entry_for_user(user, entry_id))


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


def _loan_data(user: User, v: dict[str, Any]) -> services.LoanData:
    return services.LoanData(
        facility=_bookhouse(user, v["facility"]),
        lent_on=v["lent_on"],
        reader_name=v["reader_name"],
        reader_phone=v.get("reader_phone") or "",
        title=v["title"],
        due_on=v.get("due_on"),
        returned_on=v.get("returned_on"),
    )


def _loan_values(loan: Loan) -> dict[str, Any]:
    return {
        "facility": loan.facility_id,
        "lent_on": loan.lent_on,
        "reader_name": loan.reader_name,
        "reader_phone": loan.reader_phone,
        "title": loan.title,
        "due_on": loan.due_on,
        "returned_on": loan.returned_on,
    }


@router.get("loans/", response=list[LoanOut], summary="借阅登记列表（可筛选逾期）")
@paginate(PageNumberPagination)
def loan_list(request: HttpRequest, filters: Query[LoanFilter]) -> Any:
    user = request_user(request)
    f = _register_filter(user, filters, status=filters.status or "")
    qs = selectors.loan_search(user, f, clock.today())
    return qs.order_by("due_on", "id") if f.status == "overdue" else qs


@router.get("loans/{int:loan_id}/", response=LoanOut, summary="借阅登记详情")
def loan_detail(request: HttpRequest, loan_id: int) -> Loan:
    return selectors.get_loan_for_user(request_user(request), loan_id)


@router.post("loans/", response={201: LoanOut}, summary="登记借出")
def loan_create(request: HttpRequest, payload: LoanIn) -> Loan:
    user = request_user(request)
    loan = services.loan_create(user=user, data=_loan_data(user, payload.model_dump()))
    return selectors.get_loan_for_user(user, loan.pk)


def _loan_update(request: HttpRequest, loan_id: int, values: Callable[[Any], Any]) -> Any:
    user = request_user(request)
    loan = selectors.get_loan_for_user(user, loan_id)
    services.loan_update(user=user, loan=loan, data=_loan_data(user, values(loan)))
    return selectors.get_loan_for_user(user, loan_id)


@router.put("loans/{int:loan_id}/", response=LoanOut, summary="修改借阅登记（全部字段）")
def loan_replace(request: HttpRequest, loan_id: int, payload: LoanIn) -> Loan:
    return _loan_update(request, loan_id, lambda _l: payload.model_dump())


@router.patch("loans/{int:loan_id}/", response=LoanOut, summary="修改借阅登记（部分字段）")
def loan_patch(request: HttpRequest, loan_id: int, payload: PatchDict[LoanIn]) -> Loan:
    nullable = {"due_on", "returned_on", "reader_phone"}
    return _loan_update(
        request, loan_id, lambda loan: _merge(_loan_values(loan), payload, nullable)
    )


@router.post("loans/{int:loan_id}/return/", response=LoanOut, summary="归还")
def loan_return(request: HttpRequest, loan_id: int, payload: ReturnIn) -> Loan:
    user = request_user(request)
    loan = selectors.get_loan_for_user(user, loan_id)
    services.loan_return(user=user, loan=loan, on=payload.returned_on)
    return selectors.get_loan_for_user(user, loan_id)


@router.delete("loans/{int:loan_id}/", response={204: None}, summary="删除借阅登记")
def loan_delete(request: HttpRequest, loan_id: int) -> None:
    user = request_user(request)
    services.loan_delete(user=user, loan=selectors.get_loan_for_user(user, loan_id))


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


def _demand_data(user: User, v: dict[str, Any]) -> services.DemandData:
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


def _demand_values(d: Demand) -> dict[str, Any]:
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


@router.get("demands/", response=list[DemandOut], summary="需求登记列表")
@paginate(PageNumberPagination)
def demand_list(request: HttpRequest, filters: Query[DemandFilter]) -> Any:
    user = request_user(request)
    return selectors.demand_search(
        user, _register_filter(user, filters, status=filters.status or "")
    )


@router.get("demands/{int:demand_id}/", response=DemandOut, summary="需求登记详情")
def demand_detail(request: HttpRequest, demand_id: int) -> Demand:
    return selectors.get_demand_for_user(request_user(request), demand_id)


@router.post("demands/", response={201: DemandOut}, summary="登记需求")
def demand_create(request: HttpRequest, payload: DemandIn) -> Demand:
    user = request_user(request)
    demand = services.demand_create(user=user, data=_demand_data(user, payload.model_dump()))
    return selectors.get_demand_for_user(user, demand.pk)


def _demand_update(request: HttpRequest, demand_id: int, values: Callable[[Any], Any]) -> Any:
    user = request_user(request)
    demand = selectors.get_demand_for_user(user, demand_id)
    services.demand_update(user=user, demand=demand, data=_demand_data(user, values(demand)))
    return selectors.get_demand_for_user(user, demand_id)


@router.put("demands/{int:demand_id}/", response=DemandOut, summary="修改需求登记（全部字段）")
def demand_replace(request: HttpRequest, demand_id: int, payload: DemandIn) -> Demand:
    return _demand_update(request, demand_id, lambda _d: payload.model_dump())


@router.patch("demands/{int:demand_id}/", response=DemandOut, summary="修改需求登记（部分字段）")
def demand_patch(request: HttpRequest, demand_id: int, payload: PatchDict[DemandIn]) -> Demand:
    nullable = {"status_date", "reader_phone", "note"}
    return _demand_update(
        request, demand_id, lambda d: _merge(_demand_values(d), payload, nullable)
    )


@router.delete("demands/{int:demand_id}/", response={204: None}, summary="删除需求登记")
def demand_delete(request: HttpRequest, demand_id: int) -> None:
    user = request_user(request)
    services.demand_delete(user=user, demand=selectors.get_demand_for_user(user, demand_id))
