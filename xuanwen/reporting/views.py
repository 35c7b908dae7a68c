"""The reporting pages: the report sets, a set's completeness for a unit and period (with the
submit button for a unit that owes it), the submissions a figure counts, and a submission with
its approve, return and unlock buttons."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from xuanwen.accounts.permissions import can_write, request_user
from xuanwen.core import clock
from xuanwen.core.entry import errors_to_form
from xuanwen.indicators.periods import Period, period_asked, period_choices
from xuanwen.indicators.registry import get_indicators
from xuanwen.records.pages import posted
from xuanwen.units.models import Unit
from xuanwen.units.pickers import unit_choices
from xuanwen.units.selectors import get_unit_for_user

from . import selectors, services
from .forms import ReportSetForm, RuleForm
from .models import ReportSet, Submission, SubmissionStatus

WHICH = {
    "on_time": gettext_lazy("按时"),
    "late": gettext_lazy("逾期"),
    "received": gettext_lazy("已收到"),
}


def _last_period(report_set: ReportSet) -> Period:
    return selectors.last_period(report_set, clock.today())


def _period(request: HttpRequest, report_set: ReportSet) -> tuple[Period, str]:
    period, error = period_asked(request.GET, _last_period(report_set))
    if not error and period.kind != report_set.frequency:
        return _last_period(report_set), _("该报表按%(f)s上报，请选择相应的期间。") % {
            "f": report_set.get_frequency_display()
        }
    return period, error


def _unit(request: HttpRequest, report_set: ReportSet) -> Unit:
    """The unit asked for (?unit=code, a 404 outside the user's scope), else the user's own
    unit, or the set's owner when that lies within the user's scope."""
    user = request_user(request)
    code = request.GET.get("unit", "").strip()[:12]
    if not code:
        own = user.scope.unit_code or ""
        code = report_set.owner_id if user.scope.contains(report_set.owner_id) else own
    return get_unit_for_user(user, code)


@login_required
@require_GET
def report_set_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    report_sets = list(selectors.report_sets_for(user).filter(active=True))
    waiting = list(selectors.awaiting_approval(user).order_by("submitted_at")[:50])
    waiting = [s for s in waiting if services.can_approve_submission(user, s)]
    owed = selectors.owed_by(user.unit_id, clock.today()) if user.unit_id else []
    return render(
        request,
        "reporting/list.html",
        {
            "report_sets": report_sets,
            "waiting": waiting,
            "owed": owed,
            "may_define": bool(user.unit_id) and services.can_define(user, user.unit_id or ""),
        },
    )


@login_required
@require_GET
def report_set_page(request: HttpRequest, pk: int) -> HttpResponse:
    """A report set's completeness for a unit and period: totals, by child, who is missing;
    each figure links to the submissions it counts."""
    user = request_user(request)
    report_set = selectors.get_report_set_for_user(user, pk)
    unit = _unit(request, report_set)
    period, error = _period(request, report_set)
    result = selectors.completeness(report_set, unit, period)
    own = result.status_of.get(unit.code)
    may_submit = (
        report_set.owes(unit.code)
        and (can_write(user, unit.code) or unit.code == user.unit_id)
        and (own is None or own.status in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED))
    )
    query = {"unit": unit.code, "period": period.key}
    return render(
        request,
        "reporting/set.html",
        {
            "report_set": report_set,
            "unit": unit,
            "period": period,
            "error": error,
            "result": result,
            "own": own,
            "may_submit": may_submit,
            "may_define": services.can_define(user, report_set.owner_id),
            "indicators": list(get_indicators(report_set.indicators).values()),
            "period_groups": period_choices(clock.today(), period),
            "unit_choices": unit_choices(user),
            "selected": unit.code,
            "query": urlencode(query),
        },
    )


@login_required
@require_GET
def submission_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The submissions a completeness figure counts."""
    user = request_user(request)
    report_set = selectors.get_report_set_for_user(user, pk)
    unit = _unit(request, report_set)
    period, error = _period(request, report_set)
    which = request.GET.get("which", "")
    which = which if which in WHICH else "received"
    rows = selectors.submission_list(user, report_set, unit, period, which)
    return render(
        request,
        "reporting/submissions.html",
        {
            "report_set": report_set,
            "unit": unit,
            "period": period,
            "error": error,
            "rows": rows,
            "which": str(WHICH[which]),
        },
    )


@login_required
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    report_set = selectors.get_report_set_for_user(user, pk)
    unit = get_unit_for_user(user, request.POST.get("unit", "").strip()[:12])
    period, error = period_asked(request.POST, _last_period(report_set))
    target = reverse("reporting:set", args=[report_set.pk])
    target += "?" + urlencode({"unit": unit.code, "period": period.key})
    if error:
        messages.error(request, error)
        return redirect(target)
    try:
        submission = services.submission_submit(
            user=user, report_set=report_set, unit=unit, period=period
        )
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(target)
    if submission.warnings.exists():
        messages.warning(request, _("已上报，但有提示需要注意，请查看。"))
    else:
        messages.success(request, _("已上报，等待上级审核。"))
    return redirect("reporting:submission", submission.pk)


@login_required
@require_GET
def submission_page(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    submission = selectors.get_submission_for_user(user, pk)
    indicators = get_indicators(submission.report_set.indicators)
    values = [
        (indicators[code], submission.values.get(code))
        for code in submission.report_set.indicators
        if code in indicators
    ]
    return render(
        request,
        "reporting/submission.html",
        {
            "submission": submission,
            "values": values,
            "warnings": list(submission.warnings.all()),
            "unlocks": list(submission.unlocks.select_related("by")),
            "may_approve": services.can_approve_submission(user, submission),
        },
    )


def _act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = request_user(request)
    submission: Submission = selectors.get_submission_for_user(user, pk)
    reason = request.POST.get("reason", "")[:1000]
    try:
        if action == "approve":
            services.submission_approve(user=user, submission=submission)
            messages.success(request, _("已批准，该单位该期间的记录已锁定。"))
        elif action == "return":
            services.submission_return(user=user, submission=submission, reason=reason)
            messages.success(request, _("已退回。"))
        else:
            services.submission_unlock(user=user, submission=submission, reason=reason)
            messages.success(request, _("已解锁，该单位可以修改记录后重新上报。"))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("reporting:submission", submission.pk)


def _action_view(action: str):  # type: ignore[no-untyped-def]
    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return _act(request, pk, action)

    return view


approve, return_, unlock = (_action_view(a) for a in ("approve", "return", "unlock"))


# --- Defining report sets and their rules (supervisors) ------------------------------------


def _set_form_page(request: HttpRequest, report_set: ReportSet | None) -> HttpResponse:
    user = request_user(request)
    code = report_set.owner_id if report_set else user.scope.unit_code or ""
    if not (code and services.can_define(user, code)):
        raise PermissionDenied(_("只有主管单位可以设置报表。"))
    owner = report_set.owner if report_set else get_unit_for_user(user, code)
    initial = (
        {f: getattr(report_set, f) for f in ("name", "levels", "frequency", "deadline_days",
                                             "lock_days", "indicators", "active")}
        if report_set
        else None
    )  # fmt: skip
    form = ReportSetForm(posted(request), scope=user.scope, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = services.ReportSetData(owner=owner, **form.cleaned_data)
        try:
            if report_set is None:
                saved = services.report_set_create(user=user, data=data)
            else:
                saved = services.report_set_update(user=user, report_set=report_set, data=data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("reporting:set", saved.pk)
    rule_form = RuleForm(scope=user.scope, codes=report_set.indicators) if report_set else None
    return render(
        request,
        "reporting/set_form.html",
        {
            "form": form,
            "report_set": report_set,
            "owner": owner,
            "rule_form": rule_form,
            "rules": list(report_set.rules.all()) if report_set else [],
        },
    )


@login_required
def report_set_new(request: HttpRequest) -> HttpResponse:
    return _set_form_page(request, None)


@login_required
def report_set_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    return _set_form_page(request, selectors.get_report_set_for_user(user, pk))


@login_required
@require_POST
def rule_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    report_set = selectors.get_report_set_for_user(user, pk)
    if not services.can_define(user, report_set.owner_id):
        raise PermissionDenied(_("只有主管单位可以设置校验规则。"))
    form = RuleForm(request.POST, scope=user.scope, codes=report_set.indicators)
    if not form.is_valid():
        messages.error(request, _("规则有误：") + "；".join(
            str(e) for errors in form.errors.values() for e in errors
        ))  # fmt: skip
        return redirect("reporting:set_edit", report_set.pk)
    try:
        services.rule_create(
            user=user, report_set=report_set, data=services.RuleData(**form.cleaned_data)
        )
        messages.success(request, _("已添加校验规则。"))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    return redirect("reporting:set_edit", report_set.pk)
