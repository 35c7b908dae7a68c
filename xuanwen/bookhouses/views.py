"""Bookhouse pages: the subtree's bookhouses against the standard, one bookhouse's page, its
three registers (stock, lending, demand) with their entry forms, and the subtree's lists.

Every record is read through a scoped selector (another unit's bookhouse or register row is a
404, as if it did not exist) and written through a service (which checks the right to write
and audits).
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_write, request_user
from xuanwen.core import clock, tree
from xuanwen.core.entry import errors_to_form, is_htmx
from xuanwen.facilities.models import Facility
from xuanwen.units.models import Unit

from . import selectors, services
from .forms import DemandForm, ListFilterForm, LoanForm, StockForm, may_write_somewhere
from .models import Demand, DemandStatus, Loan, StockEntry, StockKind, StockSource

PAGE_SIZE = 50
# Rows of each register shown on a bookhouse's own page; the register pages have them all.
RECENT = 10


def _page(request: HttpRequest, qs: Any) -> Any:
    return Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))


def _query(request: HttpRequest) -> str:
    """The query string without the page number, for the pager and the export link."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _writable(user: User, facility: Facility) -> Facility:
    if not can_write(user, facility.unit_id):
        raise PermissionDenied(_("您不能为该农家书屋登记。"))
    return facility


def _filter(request: HttpRequest, user: User) -> tuple[ListFilterForm, selectors.RegisterFilter]:
    form = ListFilterForm(request.GET, user=user)
    form.is_valid()  # invalid parts are left out of cleaned_data and so not applied
    c = form.cleaned_data
    return form, selectors.RegisterFilter(
        unit=c.get("unit") or "",
        start=c.get("start"),
        end=c.get("end"),
        kind=c.get("kind") or "",
        status=c.get("status") or "",
    )


# --- The subtree's bookhouses --------------------------------------------------------------


@login_required
@require_GET
def bookhouse_list(request: HttpRequest) -> HttpResponse:
    """The bookhouses of a unit's subtree with their totals, and the roll-up by child unit."""
    user = request_user(request)
    _form, f = _filter(request, user)
    code = f.unit or user.scope.unit_code or ""
    unit = Unit.objects.filter(code=code).first() if code else None
    qs = selectors.with_totals(selectors.bookhouses_for(user))
    if code:
        qs = qs.filter(tree.subtree_q(code, "unit_id"))
    page = _page(request, qs.select_related("unit").order_by("unit_id", "name", "pk"))
    rows = [(b, selectors.standard_checks(b)) for b in page]
    children, own, total = selectors.rollup_by_child(code) if unit else ([], None, None)
    return render(
        request,
        "bookhouses/list.html",
        {
            "unit": unit,
            "page": page,
            "rows": [(b, checks, all(c.met for c in checks)) for b, checks in rows],
            "children": children,
            "own": own,
            "total": total,
            "query": _query(request),
            "standard": (selectors.STANDARD_AREA, selectors.STANDARD_BOOKS, selectors.STANDARD_AV),
        },
    )


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
    qs = StockEntry.objects.filter(facility=facility)
    kind = request.GET.get("kind", "")
    if kind in StockKind.values:
        qs = qs.filter(kind=kind)
    return render(
        request,
        "bookhouses/stock.html",
        {
            "facility": facility,
            "page": _page(request, qs),
            "query": _query(request),
            "kind": kind,
            "kinds": StockKind.choices,
            "additions": selectors.additions_by_year(facility),
            "sources": [StockSource.DISTRIBUTED, StockSource.DONATED, StockSource.PURCHASED],
            "can_write": can_write(user, facility.unit_id),
        },
    )


@login_required
@require_GET
def loan_register(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    facility = selectors.get_bookhouse_for_user(user, pk)
    today = clock.today()
    status = request.GET.get("status", "")
    f = selectors.RegisterFilter(facility_id=facility.pk, status=status)
    qs = selectors.loan_search(user, f, today)
    if status in ("open", "overdue"):
        qs = qs.order_by("due_on", "id")
    return render(
        request,
        "bookhouses/loans.html",
        {
            "facility": facility,
            "page": _page(request, qs),
            "query": _query(request),
            "status": status,
            "loan_form": LoanForm(),
            "can_write": can_write(user, facility.unit_id),
            "today": today,
        },
    )


@login_required
@require_GET
def demand_register(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    facility = selectors.get_bookhouse_for_user(user, pk)
    status = request.GET.get("status", "")
    f = selectors.RegisterFilter(facility_id=facility.pk, status=status)
    return render(
        request,
        "bookhouses/demands.html",
        {
            "facility": facility,
            "page": _page(request, selectors.demand_search(user, f)),
            "query": _query(request),
            "status": status,
            "statuses": DemandStatus.choices,
            "can_write": can_write(user, facility.unit_id),
        },
    )


# --- Entry forms ---------------------------------------------------------------------------


def _form_page(
    request: HttpRequest, facility: Facility, form: Any, title: str, delete_url: str = ""
) -> HttpResponse:
    return render(
        request,
        "bookhouses/form.html",
        {"facility": facility, "form": form, "title": title, "delete_url": delete_url},
    )


def _save(form: Any, call: Any) -> Any:
    """Run the service; on a rule error put its messages on the form and return None."""
    try:
        return call()
    except ValidationError as exc:
        errors_to_form(form, exc)
        return None


@login_required
def stock_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    facility = _writable(user, selectors.get_bookhouse_for_user(user, pk))
    form = StockForm(request.POST or None, initial={"date": clock.today(), "kind": StockKind.BOOKS})
    if request.method == "POST" and form.is_valid():
        data = form.to_data(facility)
        if _save(form, lambda: services.stock_create(user=user, data=data)):
            messages.success(request, _("已登记。"))
            return redirect("bookhouses:stock", facility.pk)
    return _form_page(request, facility, form, _("藏书登记"))


@login_required
def stock_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    entry = selectors.get_stock_entry_for_user(user, pk)
    facility = _writable(user, entry.facility)
    form = StockForm(request.POST or None, initial=StockForm.initial_from(entry))
    if request.method == "POST" and form.is_valid():
        data = form.to_data(facility)
        if _save(form, lambda: services.stock_update(user=user, entry=entry, data=data)):
            messages.success(request, _("已保存。"))
            return redirect("bookhouses:stock", facility.pk)
    return _form_page(
        request,
        facility,
        form,
        _("修改藏书登记"),
        reverse("bookhouses:stock_delete", args=[entry.pk]),
    )


@login_required
def loan_create(request: HttpRequest, pk: int) -> HttpResponse:
    """The quick lending entry; on a phone the bookhouse page carries the same form."""
    user = request_user(request)
    facility = _writable(user, selectors.get_bookhouse_for_user(user, pk))
    form = LoanForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.to_data(facility)
        loan = _save(form, lambda: services.loan_create(user=user, data=data))
        if loan:
            messages.success(
                request,
                _("已登记：%(reader)s 借《%(title)s》，应于 %(due)s 归还。")
                % {
                    "reader": loan.reader_name,
                    "title": loan.title,
                    "due": f"{loan.due_on:%Y-%m-%d}",
                },
            )
            back = "detail" if request.POST.get("back") == "detail" else "loans"
            return redirect(f"bookhouses:{back}", facility.pk)
    return _form_page(request, facility, form, _("借阅登记"))


@login_required
def loan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    loan = selectors.get_loan_for_user(user, pk)
    facility = _writable(user, loan.facility)
    form = LoanForm(request.POST or None, edit=True, initial=LoanForm.initial_from(loan))
    if request.method == "POST" and form.is_valid():
        data = form.to_data(facility)
        if _save(form, lambda: services.loan_update(user=user, loan=loan, data=data)):
            messages.success(request, _("已保存。"))
            return redirect("bookhouses:loans", facility.pk)
    return _form_page(
        request,
        facility,
        form,
        _("修改借阅登记"),
        reverse("bookhouses:loan_delete", args=[loan.pk]),
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
    if request.method == "POST" and form.is_valid():
        data = form.to_data(facility)
        if _save(form, lambda: services.demand_create(user=user, data=data)):
            messages.success(request, _("已登记。"))
            return redirect("bookhouses:demands", facility.pk)
    return _form_page(request, facility, form, _("需求登记"))


@login_required
def demand_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    demand = selectors.get_demand_for_user(user, pk)
    facility = _writable(user, demand.facility)
    form = DemandForm(request.POST or None, initial=DemandForm.initial_from(demand))
    if request.method == "POST" and form.is_valid():
        data = form.to_data(facility)
        if _save(form, lambda: services.demand_update(user=user, demand=demand, data=data)):
            messages.success(request, _("已保存。"))
            return redirect("bookhouses:demands", facility.pk)
    return _form_page(
        request,
        facility,
        form,
        _("修改需求登记"),
        reverse("bookhouses:demand_delete", args=[demand.pk]),
    )


@login_required
@require_POST
def stock_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    entry = selectors.get_stock_entry_for_user(user, pk)
    try:
        services.stock_delete(user=user, entry=entry)
    except ValidationError as exc:
        # An addition that later removals rely on: the entry stays, and the page says why.
        messages.error(request, "；".join(exc.messages))
        return redirect("bookhouses:stock_edit", entry.pk)
    messages.success(request, _("已删除，可在操作记录中恢复。"))
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
    _form, f = _filter(request, user)
    today = clock.today()
    if register == "stock":
        qs: Any = selectors.stock_search(user, f)
    elif register == "loans":
        qs = selectors.loan_search(user, f, today)
        if f.status == "overdue":
            qs = qs.order_by("due_on", "id")
    else:
        qs = selectors.demand_search(user, f)
    return render(
        request,
        "bookhouses/subtree.html",
        {
            "register": register,
            "page": _page(request, qs),
            "f": f,
            "query": _query(request),
            "today": today,
            "kinds": StockKind.choices,
            "statuses": DemandStatus.choices,
            "may_import": may_write_somewhere(user),
            "export_url": reverse(f"bookhouses:{register}_export"),
        },
    )


@login_required
@require_GET
def stock_all(request: HttpRequest) -> HttpResponse:
    return _subtree_list(request, "stock")


@login_required
@require_GET
def loans_all(request: HttpRequest) -> HttpResponse:
    """The subtree's loans; `?status=overdue` is the overdue list (longest overdue first)."""
    return _subtree_list(request, "loans")


@login_required
@require_GET
def demands_all(request: HttpRequest) -> HttpResponse:
    return _subtree_list(request, "demands")
