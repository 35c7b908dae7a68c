"""The assessment pages: schemes (list, edit with items and rewards inline, copy to next
year), manual adjustments, scoring (a background task with its progress), a version's results
(rank, unit, total, grade, reward; export), a unit's breakdown with links to the records, and
publication. Every id outside the user's subtree is a 404."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xuanwen.accounts.permissions import request_user
from xuanwen.core import files
from xuanwen.core.entry import errors_to_form
from xuanwen.core.reports import ReportBook
from xuanwen.units.models import Unit

from . import forms, scoring, selectors, services
from .models import Run, RunState, Scheme

VERSIONS_SHOWN = 20
T = TypeVar("T")


@login_required
@require_GET
def scheme_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    schemes = list(selectors.schemes_for(user)[:200])
    published = {
        r.scheme_id: r
        for r in selectors.runs_for(user)
        .filter(scheme__in=schemes, published_at__isnull=False)
        .order_by("scheme_id", "version")
    }
    return render(
        request,
        "assessment/list.html",
        {
            "rows": [(s, published.get(s.pk)) for s in schemes],
            "may_set": bool(user.unit_id) and services.can_set(user, user.unit_id or ""),
        },
    )


def _scheme_form_page(request: HttpRequest, owner: Unit, scheme: Scheme | None) -> HttpResponse:
    user = request_user(request)
    indicators = forms.indicator_choices(user.scope)
    data = request.POST if request.method == "POST" else None
    if scheme is not None:
        initial: dict[str, Any] = {
            f: getattr(scheme, f)
            for f in ("name", "year", "level", "excellent_min", "good_min", "pass_min", "reward_by")
        }
        items = [
            {
                f: getattr(i, f)
                for f in ("name", "indicator", "rule", "points", "target", "per", "floor")
            }
            for i in scheme.items.all()
        ]
        rewards = [
            {"grade": r.grade, "top_rank": r.top_rank, "amount": r.amount, "title": r.title}
            for r in scheme.rewards.all()
        ]
    else:
        initial, items, rewards = {"level": 4}, [], []
    form = forms.SchemeForm(data, initial=initial)
    item_set = forms.ItemFormSet(
        data, initial=items, prefix="items", form_kwargs={"indicators": indicators}
    )
    reward_set = forms.RewardFormSet(data, initial=rewards, prefix="rewards")
    if data is not None and form.is_valid() and item_set.is_valid() and reward_set.is_valid():
        values = forms.scheme_data(owner, form, item_set, reward_set)
        try:
            if scheme is None:
                scheme = services.scheme_create(user=user, data=values)
            else:
                services.scheme_update(user=user, scheme=scheme, data=values)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("考核方案已保存。"))
            return redirect("assessment:scheme", scheme.pk)
    return render(
        request,
        "assessment/scheme_form.html",
        {"form": form, "items": item_set, "rewards": reward_set, "scheme": scheme, "owner": owner},
        status=400 if data is not None else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def scheme_new(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not user.unit_id or not services.can_set(user, user.unit_id):
        raise PermissionDenied(_("只有主管单位可以设置考核方案和发布考核结果。"))
    owner = Unit.objects.get(code=user.unit_id)
    return _scheme_form_page(request, owner, None)


@login_required
@require_http_methods(["GET", "POST"])
def scheme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    scheme = selectors.get_scheme_for_user(user, pk)
    if not services.can_set(user, scheme.owner_id):
        raise PermissionDenied(_("只有主管单位可以设置考核方案和发布考核结果。"))
    return _scheme_form_page(request, scheme.owner, scheme)


@login_required
@require_http_methods(["GET", "POST"])
def scheme_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The scheme, its versions and adjustments; a POST adds an adjustment."""
    user = request_user(request)
    scheme = selectors.get_scheme_for_user(user, pk)
    may_set = services.can_set(user, scheme.owner_id)
    units = scoring.scored_units(scheme) if may_set else []
    form = forms.AdjustmentForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST":
        if not may_set:
            raise PermissionDenied(_("只有主管单位可以设置考核方案和发布考核结果。"))
        if form.is_valid():
            try:
                services.adjustment_add(
                    user=user,
                    scheme=scheme,
                    data=form.data_adjustment(),
                    evidence=form.cleaned_data["evidence"],
                )
            except ValidationError as exc:
                errors_to_form(form, exc)
            else:
                messages.success(request, _("加减分已登记。"))
                return redirect("assessment:scheme", scheme.pk)
    return render(
        request,
        "assessment/scheme.html",
        {
            "scheme": scheme,
            "items": list(scheme.items.all()),
            "rewards": list(scheme.rewards.all()),
            "adjustments": list(
                selectors.adjustments_for(user).filter(scheme=scheme).order_by("unit_id", "pk")
            ),
            "runs": list(selectors.runs_for(user).filter(scheme=scheme)[:VERSIONS_SHOWN]),
            "may_set": may_set,
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )


def _refused(request: HttpRequest, write: Callable[[], T]) -> T | None:
    """What `write` made, or None with its refusal shown on the next page."""
    try:
        return write()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return None


@login_required
@require_POST
def scheme_copy(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    scheme = selectors.get_scheme_for_user(user, pk)
    copy = _refused(request, lambda: services.scheme_copy(user=user, scheme=scheme))
    if copy is None:
        return redirect("assessment:scheme", scheme.pk)
    messages.success(request, _("已复制为 %(y)d 年的方案。") % {"y": copy.year})
    return redirect("assessment:scheme_edit", copy.pk)


@login_required
@require_GET
def evidence(request: HttpRequest, pk: int) -> HttpResponseBase:
    adj = selectors.get_adjustment_for_user(request_user(request), pk)
    return files.serve_stored(adj.file, adj.content_type, adj.original_name, inline=False)


@login_required
@require_POST
def score(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    scheme = selectors.get_scheme_for_user(user, pk)
    run = _refused(request, lambda: services.score_request(user=user, scheme=scheme))
    if run is None:
        return redirect("assessment:scheme", scheme.pk)
    return redirect("assessment:run", run.pk)


def _run_context(request: HttpRequest, run: Run) -> dict[str, Any]:
    user = request_user(request)
    results = list(selectors.results_for(user, run)) if run.state == RunState.DONE else []
    return {
        "run": run,
        "scheme": run.scheme,
        "results": results,
        "may_set": services.can_set(user, run.scheme.owner_id),
        "versions": list(selectors.runs_for(user).filter(scheme=run.scheme)[:VERSIONS_SHOWN]),
    }


@login_required
@require_GET
def run_page(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.get_run_for_user(request_user(request), pk)
    services.check_stale(run)
    return render(request, "assessment/run.html", _run_context(request, run))


@login_required
@require_GET
def run_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar (htmx polls it each second); once done, the page reloads."""
    run = selectors.get_run_for_user(request_user(request), pk)
    services.check_stale(run)
    response = render(request, "assessment/_progress.html", {"run": run})
    if run.state in (RunState.DONE, RunState.FAILED):
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def run_publish(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    run = selectors.get_run_for_user(user, pk)
    if _refused(request, lambda: services.run_publish(user=user, run=run)) is not None:
        messages.success(request, _("考核结果已发布。"))
    return redirect("assessment:run", run.pk)


@login_required
@require_GET
def unit_result(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    result = selectors.get_result_for_user(user, pk)
    run = result.run
    lines = result.breakdown
    return render(
        request,
        "assessment/unit.html",
        {"run": run, "scheme": run.scheme, "result": result, "lines": lines},
    )


@login_required
@require_GET
def run_export(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The results table as a report .xlsx: title row, names, totals."""
    user = request_user(request)
    run = selectors.get_run_for_user(user, pk)
    if run.state != RunState.DONE:
        raise Http404(_("结果尚未计算完成。"))
    book = ReportBook(
        title=_("%(s)s 考核结果（第 %(v)d 版）") % {"s": run.scheme.name, "v": run.version},
        unit=run.scheme.owner.name,
        period=_("%(y)d年") % {"y": run.scheme.year},
        columns=[(_("名次"), 8), (_("单位"), 20), (_("总分"), 10), (_("等次"), 10),
                 (_("奖励金额（元）"), 14), (_("称号"), 16)],
        sheet_title=_("考核结果"),
    )  # fmt: skip
    amount = Decimal(0)
    for r in selectors.results_for(user, run):
        book.row(
            [r.rank, r.unit.name, r.total, r.get_grade_display(), r.reward_amount, r.reward_title]
        )
        amount += r.reward_amount or 0
    book.total([_("合计"), "", "", "", amount, ""])
    return book.response(stem=_("考核结果"))
