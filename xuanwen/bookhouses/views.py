"""Bookhouse pages: the subtree's bookhouses against the standard, one bookhouse's page, its
three registers (stock, lending, demand) with their entry forms, and the subtree's lists.

Every record is read through a scoped selector (another unit's bookhouse or register row is a
404, as if it did not exist) and written through a service (which checks the right to write
and audits).
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_POST

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_write, request_user
from xuanwen.core import clock
from xuanwen.core.entry import is_htmx
from xuanwen.facilities.models import Facility
from xuanwen.records.pages import (
    PAGE_SIZE,
    View,
    entry_page,
    header,
    list_page,
    require_write,
    said,
)

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


# --- The subtree's bookhouses --------------------------------------------------------------


@login_required
@require_GET
def bookhouse_list(request: HttpRequest) -> HttpResponse:
    """The bookhouses of a unit's subtree with their totals, and the roll-up by child unit."""
    user = request_user(request)
    filters = bookhouse_filters(user, request.GET)
    unit = filters.shown_unit()
    children, own, total = selectors.rollup_by_child(unit.code) if unit else ([], None, None)

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


def _register_header(facility: Facility, title: str) -> dict[str, Any]:
    """A register's page: headed by its name under the bookhouse, the window naming both."""
    bookhouse = reverse("bookhouses:detail", args=[facility.pk])
    crumbs = ("bookhouses:list", _("农家书屋")), (bookhouse, facility.name)
    return header(title, *crumbs, of=facility.name)


@login_required
@require_GET
def stock_register(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    facility = selectors.get_bookhouse_for_user(user, pk)
    filters = stock_filters(user, request.GET, facility)
    context = {
        **_register_header(facility, _("藏书登记")),
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
        **_register_header(facility, _("借阅登记")),
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
        **_register_header(facility, _("需求登记")),
        "facility": facility,
        "status": filters.values["status"],
        "statuses": DemandStatus.choices,
        "can_write": can_write(user, facility.unit_id),
    }
    return list_page(request, filters, template="bookhouses/demands.html", context=context)


# --- Entry forms ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterPages:
    """The entry pages of one register of a bookhouse (stock, loans, demands); `views()`
    gives create (`<int:pk>` is the bookhouse), edit and delete (`<int:pk>` is the row).

    A row is read through the scoped selector `get` (another unit's is a 404) and written
    through the services, called as `create(user=, data=)`, `update(user=, <arg>=row,
    data=)` and `delete(user=, <arg>=row)`; the form is `form(data, row=, initial=)` with
    `to_data(facility)`. A save or a deletion goes back to the register's page.

    Its URL names are the register's ("loans", the page under a bookhouse) and the row's
    ("loan_create", "loan_edit", "loan_delete"): bookhouses.urls routes them from these two.
    """

    register: str  # e.g. "loans"
    row: str  # e.g. "loan"
    arg: str
    get: Callable[[User, int], Any]
    form: Callable[..., Any]
    create: Callable[..., Any]
    update: Callable[..., Any]
    delete: Callable[..., None]
    title: str | Promise  # of the create page
    edit_title: str | Promise
    initial: Callable[[], dict[str, Any]] = dict  # a new row's defaults
    created: Callable[[Any], str] = lambda row: _("已登记。")
    # Where a new row's save goes: the register, or the page the form was posted from.
    back: Callable[[HttpRequest], str] = lambda request: ""

    def views(self) -> tuple[View, View, View]:
        return (login_required(self.create_view), login_required(self.edit_view),
                login_required(require_POST(self.delete_view)))  # fmt: skip

    @property
    def url(self) -> str:
        """The register's page (of a bookhouse)."""
        return f"bookhouses:{self.register}"

    def row_url(self, action: str) -> str:
        """A row's page of `action` ("edit", "delete"; "create" under a bookhouse)."""
        return f"bookhouses:{self.row}_{action}"

    def create_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = request_user(request)
        return self._entry(request, user, selectors.get_bookhouse_for_user(user, pk), None)

    def edit_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = request_user(request)
        row = self.get(user, pk)
        return self._entry(request, user, row.facility, row)

    def delete_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        user = request_user(request)
        row = self.get(user, pk)
        delete = lambda: self.delete(user=user, **{self.arg: row})  # noqa: E731
        if not said(request, delete, _("已删除，可在操作记录中恢复。")):
            # An addition that later removals rely on: the entry stays, and the page says why.
            return redirect(self.row_url("edit"), row.pk)
        return redirect(self.url, row.facility_id)

    def _entry(
        self, request: HttpRequest, user: User, facility: Facility, row: Any
    ) -> HttpResponse:
        """The form of a new row or of `row`: a valid post is saved by the service, said and
        sent back to the bookhouse's register; a rule error lands on the form."""
        require_write(user, facility.unit_id, _("您不能为该农家书屋登记。"))
        new = row is None
        form = self.form(
            request.POST or None, **({"initial": self.initial()} if new else {"row": row})
        )

        def save() -> Any:
            data = form.to_data(facility)
            if new:
                return self.create(user=user, data=data)
            return self.update(user=user, data=data, **{self.arg: row})

        back = (self.back(request) if new else "") or self.url
        delete_url = "" if new else reverse(self.row_url("delete"), args=[row.pk])
        title = self.title if new else self.edit_title
        return entry_page(
            request,
            form,
            save,
            said=self.created if new else lambda saved: _("已保存。"),
            # The subtree's registers (`…_all`) take no bookhouse.
            to=lambda saved: reverse(back, args=[] if back.endswith("_all") else [facility.pk]),
            template="bookhouses/form.html",
            context={"facility": facility, "title": str(title), "delete_url": delete_url},
        )


def _back_to_detail(request: HttpRequest) -> str:
    """The quick lending form posts `back=detail` on the bookhouse's page and `back=all` on
    借阅登记 (the subtree's loans), to return where it was."""
    return {"detail": "bookhouses:detail", "all": "bookhouses:loans_all"}.get(
        request.POST.get("back", ""), ""
    )


def _lent(loan: Loan) -> str:
    return _("已登记：%(reader)s 借《%(title)s》，应于 %(due)s 归还。") % {
        "reader": loan.reader_name,
        "title": loan.title,
        "due": f"{loan.due_on:%Y-%m-%d}",
    }


STOCK = RegisterPages(
    register="stock",
    row="stock",
    arg="entry",
    get=selectors.get_stock_entry_for_user,
    form=StockForm,
    create=services.stock_create,
    update=services.stock_update,
    delete=services.stock_delete,
    title=_lazy("藏书登记"),
    edit_title=_lazy("修改藏书登记"),
    initial=lambda: {"date": clock.today(), "kind": StockKind.BOOKS},
)
# The quick lending entry; on a phone the bookhouse page carries the same form.
LOANS = RegisterPages(
    register="loans",
    row="loan",
    arg="loan",
    get=selectors.get_loan_for_user,
    form=LoanForm,
    create=services.loan_create,
    update=services.loan_update,
    delete=services.loan_delete,
    title=_lazy("借阅登记"),
    edit_title=_lazy("修改借阅登记"),
    initial=lambda: {"lent_on": clock.today()},
    created=_lent,
    back=_back_to_detail,
)
DEMANDS = RegisterPages(
    register="demands",
    row="demand",
    arg="demand",
    get=selectors.get_demand_for_user,
    form=DemandForm,
    create=services.demand_create,
    update=services.demand_update,
    delete=services.demand_delete,
    title=_lazy("需求登记"),
    edit_title=_lazy("修改需求登记"),
    initial=lambda: {"date": clock.today()},
)


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
        if not error and request.POST.get("back") == "detail":
            # On the bookhouse's page the row stood under 在借图书: it leaves that list, and the
            # 在借 / 逾期 counts above it are swapped for the new ones (out of band).
            summary = selectors.summary(loan.facility_id, user, clock.today())
            response = render(request, "bookhouses/_loan_returned.html", {"summary": summary})
        else:
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


# --- The subtree's registers (linked from the indicators, exported to Excel) ---------------


# The bookhouses 借阅登记 offers to lend from, as buttons; a township has a few dozen at most.
LEND_TO_MAX = 30


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
    if register == "loans":
        # Lending starts here too, not only on a bookhouse's own page: the quick form when the
        # user keeps one bookhouse, a button per bookhouse when a few.
        writable = [
            f for f in selectors.bookhouses_for(user).order_by("unit_id", "name")[:LEND_TO_MAX]
            if can_write(user, f.unit_id)
        ]  # fmt: skip
        context["lend_to"] = writable
        if len(writable) == 1:
            context |= {"facility": writable[0], "loan_form": LoanForm()}
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
