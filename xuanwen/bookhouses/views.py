"""Bookhouse pages: the subtree's bookhouses against the standard, one bookhouse's page, its
three registers (stock, lending, demand) with their entry forms, and the subtree's lists.

Every record is read through a scoped selector (another unit's bookhouse or register row is a
404, as if it did not exist) and written through a service (which checks the right to write
and audits).
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_write, request_user
from xuanwen.core import clock
from xuanwen.core.entry import is_htmx
from xuanwen.facilities.models import Facility
from xuanwen.records.pages import PAGE_SIZE, View, entry_page, list_page, require_write, said
from xuanwen.units.models import Unit

from . import selectors, services
from .filters import (
    LOAN_STATES,
    REGISTER_FILTERS,
    bookhouse_filters,
    demand_filters,
    loan_filters,
    stock_filters,
)
from .forms import DemandForm, LoanForm, StockForm, may_write_somewhere
from .models import Demand, DemandStatus, Loan, StockEntry, StockKind, StockSource

# Rows of each register shown on a bookhouse's own page; the register pages have them all.
RECENT = 10


def _writable(user: User, facility: Facility) -> Facility:
    require_write(user, facility.unit_id, _("您不能为该农家书屋登记。"))
    return facility


# --- The subtree's bookhouses --------------------------------------------------------------


@login_required
@require_GET
def bookhouse_list(request: HttpRequest) -> HttpResponse:
    """The bookhouses of a unit's subtree with their totals, and the roll-up by child unit."""
    user = request_user(request)
    filters = bookhouse_filters(user, request.GET)
    code = filters.values["unit"] or user.scope.unit_code or ""
    unit = Unit.objects.filter(code=code).first() if code else None
    children, own, total = selectors.rollup_by_child(code) if unit else ([], None, None)

    def check(bookhouses: list[Facility]) -> None:
        for b in bookhouses:
            b.checks = selectors.standard_checks(b)  # type: ignore[attr-defined]
            b.meets = all(c.met for c in b.checks)  # type: ignore[attr-defined]

    context = {
        "unit": unit,
        "children": children,
        "own": own,
        "total": total,
        "standard": (selectors.STANDARD_AREA, selectors.STANDARD_BOOKS, selectors.STANDARD_AV),
    }
    return list_page(request, filters, template="bookhouses/list.html", context=context, rows=check)


# --- One bookhouse -------------------------------------------------------------------------


@login_required
@require_GET
def bookhouse_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    today = clock.today()
    summary = selectors.summary(pk, user, today)
    facility = summary.facility
    open_loans = list(
        Loan.objects.filter(facility=facility, returned_on__isnull=True).order_by("due_on", "id")[
            :PAGE_SIZE
        ]
    )
    return render(
        request,
        "bookhouses/detail.html",
        {
            "facility": facility,
            "summary": summary,
            "additions": selectors.additions_by_year(facility)[:5],
            "open_loans": open_loans,
            "stock": list(StockEntry.objects.filter(facility=facility)[:RECENT]),
            "demands": list(Demand.objects.filter(facility=facility)[:RECENT]),
            "loan_form": LoanForm(),
            "can_write": can_write(user, facility.unit_id),
            "today": today,
            "sources": StockSource,
        },
    )


@login_required
@require_GET
def stock_register(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    facility = selectors.get_bookhouse_for_user(user, pk)
    filters = stock_filters(user, request.GET, facility)
    context = {
        "facility": facility,
        "kind": filters.values["kind"],
        "kinds": StockKind.choices,
        "additions": selectors.additions_by_year(facility),
        "sources": [StockSource.DISTRIBUTED, StockSource.DONATED, StockSource.PURCHASED],
        "can_write": can_write(user, facility.unit_id),
    }
    return list_page(request, filters, template="bookhouses/stock.html", context=context)


@login_required
@require_GET
def loan_register(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    facility = selectors.get_bookhouse_for_user(user, pk)
    filters = loan_filters(user, request.GET, facility)
    status = filters.values["status"]
    if status == "open":
        # A bookhouse's own loans still out read by due date (the overdue ones always do).
        filters.queryset = filters.queryset.order_by("due_on", "id")
    context = {
        "facility": facility,
        "status": status,
        "loan_states": LOAN_STATES,
        "loan_form": LoanForm(),
        "can_write": can_write(user, facility.unit_id),
        "today": clock.today(),
    }
    return list_page(request, filters, template="bookhouses/loans.html", context=context)


@login_required
@require_GET
def demand_register(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    facility = selectors.get_bookhouse_for_user(user, pk)
    filters = demand_filters(user, request.GET, facility)
    context = {
        "facility": facility,
        "status": filters.values["status"],
        "statuses": DemandStatus.choices,
        "can_write": can_write(user, facility.unit_id),
    }
    return list_page(request, filters, template="bookhouses/demands.html", context=context)


# --- Entry forms ---------------------------------------------------------------------------


def _entry(
    request: HttpRequest,
    facility: Facility,
    form: Any,
    save: Callable[[Any], Any],
    *,
    title: str,
    back: str,
    said: Callable[[Any], str] = lambda saved: _("已保存。"),
    delete_url: str = "",
) -> HttpResponse:
    """A register's entry form: a valid post is saved by `save(data)` (the service), said
    and sent `back` to the bookhouse's register; a rule error lands on the form."""
    return entry_page(
        request,
        form,
        lambda: save(form.to_data(facility)),
        said=said,
        to=lambda saved: reverse(back, args=[facility.pk]),
        template="bookhouses/form.html",
        context={"facility": facility, "title": title, "delete_url": delete_url},
    )


def _registered(saved: Any) -> str:
    return _("已登记。")


@login_required
def stock_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    facility = _writable(user, selectors.get_bookhouse_for_user(user, pk))
    form = StockForm(request.POST or None, initial={"date": clock.today(), "kind": StockKind.BOOKS})
    save = lambda data: services.stock_create(user=user, data=data)  # noqa: E731
    return _entry(
        request, facility, form, save, title=_("藏书登记"), back="bookhouses:stock",
        said=_registered,
    )  # fmt: skip


@login_required
def stock_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    entry = selectors.get_stock_entry_for_user(user, pk)
    facility = _writable(user, entry.facility)
    form = StockForm(request.POST or None, initial=StockForm.initial_from(entry))
    save = lambda data: services.stock_update(user=user, entry=entry, data=data)  # noqa: E731
    return _entry(
        request, facility, form, save, title=_("修改藏书登记"), back="bookhouses:stock",
        delete_url=reverse("bookhouses:stock_delete", args=[entry.pk]),
    )  # fmt: skip


def _lent(loan: Loan) -> str:
    return _("已登记：%(reader)s 借《%(title)s》，应于 %(due)s 归还。") % {
        "reader": loan.reader_name,
        "title": loan.title,
        "due": f"{loan.due_on:%Y-%m-%d}",
    }


@login_required
def loan_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The quick lending entry; on a phone the bookhouse page carries the same form."""
    user = request_user(request)
    facility = _writable(user, selectors.get_bookhouse_for_user(user, pk))
    form = LoanForm(request.POST or None)
    save = lambda data: services.loan_create(user=user, data=data)  # noqa: E731
    back = "detail" if request.POST.get("back") == "detail" else "loans"
    return _entry(
        request, facility, form, save, title=_("借阅登记"), back=f"bookhouses:{back}",
        said=_lent,
    )  # fmt: skip


@login_required
def loan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    loan = selectors.get_loan_for_user(user, pk)
    facility = _writable(user, loan.facility)
    form = LoanForm(request.POST or None, edit=True, initial=LoanForm.initial_from(loan))
    save = lambda data: services.loan_update(user=user, loan=loan, data=data)  # noqa: E731
    return _entry(
        request, facility, form, save, title=_("修改借阅登记"), back="bookhouses:loans",
        delete_url=reverse("bookhouses:loan_delete", args=[loan.pk]),
    )  # fmt: skip


@login_required
@require_POST
def loan_return(request: HttpRequest, pk: int) -> HttpResponse:
    """归还 in one tap: today's date; the row is swapped in place under htmx."""
    user = request_user(request)
    loan = selectors.get_loan_for_user(user, pk)
    error = ""
    try:
        services.loan_return(user=user, loan=loan)
    except ValidationError as exc:
        error = "；".join(exc.messages)
    if is_htmx(request):
        response = render(
            request,
            "bookhouses/_loan_row.html",
            {"loan": loan, "today": clock.today(), "can_write": True, "error": error},
        )
        patch_vary_headers(response, ["HX-Request"])
        return response
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("已归还：《%(title)s》。") % {"title": loan.title})
    back = "detail" if request.POST.get("back") == "detail" else "loans"
    return redirect(f"bookhouses:{back}", loan.facility_id)


@login_required
def demand_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    facility = _writable(user, selectors.get_bookhouse_for_user(user, pk))
    form = DemandForm(request.POST or None, initial={"date": clock.today()})
    save = lambda data: services.demand_create(user=user, data=data)  # noqa: E731
    return _entry(
        request, facility, form, save, title=_("需求登记"), back="bookhouses:demands",
        said=_registered,
    )  # fmt: skip


@login_required
def demand_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    demand = selectors.get_demand_for_user(user, pk)
    facility = _writable(user, demand.facility)
    form = DemandForm(request.POST or None, initial=DemandForm.initial_from(demand))
    save = lambda data: services.demand_update(user=user, demand=demand, data=data)  # noqa: E731
    return _entry(
        request, facility, form, save, title=_("修改需求登记"), back="bookhouses:demands",
        delete_url=reverse("bookhouses:demand_delete", args=[demand.pk]),
    )  # fmt: skip


@login_required
@require_POST
def stock_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    entry = selectors.get_stock_entry_for_user(user, pk)
    delete = lambda: services.stock_delete(user=user, entry=entry)  # noqa: E731
    if not said(request, delete, _("已删除，可在操作记录中恢复。")):
        # An addition that later removals rely on: the entry stays, and the page says why.
        return redirect("bookhouses:stock_edit", entry.pk)
    return redirect("bookhouses:stock", entry.facility_id)


@login_required
@require_POST
def loan_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    loan = selectors.get_loan_for_user(user, pk)
    services.loan_delete(user=user, loan=loan)
    messages.success(request, _("已删除，可在操作记录中恢复。"))
    return redirect("bookhouses:loans", loan.facility_id)


@login_required
@require_POST
def demand_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    demand = selectors.get_demand_for_user(user, pk)
    services.demand_delete(user=user, demand=demand)
    messages.success(request, _("已删除，可在操作记录中恢复。"))
    return redirect("bookhouses:demands", demand.facility_id)


# --- The subtree's registers (linked from the indicators, exported to Excel) ---------------


def _subtree_list(request: HttpRequest, register: str) -> HttpResponse:
    user = request_user(request)
    context = {
        "register": register,
        "today": clock.today(),
        "kinds": StockKind.choices,
        "statuses": DemandStatus.choices,
        "loan_states": LOAN_STATES,
        "may_import": may_write_somewhere(user),
        "export_url": reverse(f"bookhouses:{register}_export"),
    }
    filters = REGISTER_FILTERS[register](user, request.GET)
    return list_page(request, filters, template="bookhouses/subtree.html", context=context)


def _subtree_view(register: str) -> View:
    @login_required
    @require_GET
    def view(request: HttpRequest) -> HttpResponse:
        return _subtree_list(request, register)

    return view


# The loans' list with `?status=overdue` is the overdue list (longest overdue first).
stock_all, loans_all, demands_all = (_subtree_view(r) for r in ("stock", "loans", "demands"))
