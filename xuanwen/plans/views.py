"""Plan pages. Item and section edits answer htmx with the plan's content block, and a plain
form post with a redirect, so the pages work on an old phone without JavaScript too."""

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_write, request_user
from xuanwen.core import clock
from xuanwen.core.entry import is_htmx
from xuanwen.records.forms import initial_of
from xuanwen.records.pages import View, entry_page, header, list_page, posted
from xuanwen.units.pickers import may_write_somewhere
from xuanwen.units.selectors import get_unit_for_user

from . import selectors, services
from .filters import plan_filters
from .forms import ItemDoneForm, ItemForm, PlanCreateForm, PlanEditForm, SectionForm
from .models import PlanItem, PlanKind, PlanSection, PlanStatus, WorkPlan

RowT = TypeVar("RowT")


def _error_text(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def _content_context(user: User, plan: WorkPlan) -> dict[str, Any]:
    return {
        "plan": plan,
        "content": selectors.plan_content(plan),
        "can_edit": services.can_edit_plan(user, plan),
        "section_form": SectionForm(),
    }


def _in_place(
    request: HttpRequest, partial: str, page: str, target: str
) -> Callable[[dict[str, Any]], HttpResponse]:
    """How a section's or an item's form is shown: inline for htmx (a rejected post goes back
    where the form was), else as a page of its own."""

    def shown(context: dict[str, Any]) -> HttpResponse:
        if not is_htmx(request):
            return render(request, page, context)
        response = render(request, partial, context)
        if request.method == "POST":
            # The form posts with the whole content as its target; an invalid one stays put.
            response["HX-Retarget"] = target
            response["HX-Reswap"] = "innerHTML"
        return response

    return shown


def _content_response(request: HttpRequest, plan: WorkPlan, error: str = "") -> HttpResponse:
    """After an edit: the content block for htmx, the plan page otherwise."""
    if is_htmx(request):
        context = _content_context(request_user(request), plan)
        context["error"] = error
        return render(request, "plans/_content.html", context)
    if error:
        messages.error(request, error)
    return redirect(plan)


def _changed(request: HttpRequest, plan: WorkPlan, change: Callable[[], object]) -> HttpResponse:
    """Run an edit of the plan's content through its service, then answer as
    _content_response does, with the service's refusal as the error."""
    try:
        change()
    except ValidationError as exc:
        return _content_response(request, plan, _error_text(exc))
    return _content_response(request, plan)


def _content_post(
    get: Callable[[User, int], RowT],
    plan: Callable[[RowT], WorkPlan],
    change: Callable[[User, RowT, HttpRequest], object],
) -> View:
    """A button on a section or an item of the plan (delete, move): the row read by `get`,
    changed by its service `change(user, row, request)`, then the content (see _changed)."""

    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        user = request_user(request)
        row = get(user, pk)
        return _changed(request, plan(row), lambda: change(user, row, request))

    return view


def _up(request: HttpRequest) -> bool:
    return request.POST.get("to") == "up"


def _section_post(change: Callable[[User, PlanSection, HttpRequest], object]) -> View:
    return _content_post(selectors.get_section_for_user, lambda section: section.plan, change)


def _item_post(change: Callable[[User, PlanItem, HttpRequest], object]) -> View:
    return _content_post(selectors.get_item_for_user, lambda item: item.section.plan, change)


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    filters = plan_filters(user, request.GET)
    context = {
        "year": filters.values["year"],
        "status": filters.values["status"],
        "statuses": PlanStatus.choices,
        "can_create": user.unit_id is not None and can_write(user, user.unit_id),
    }
    return list_page(request, filters, template="plans/list.html", context=context)


@login_required
def plan_create(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not may_write_somewhere(user):
        raise PermissionDenied(_("您的角色只能查看，不能编写计划。"))
    form = PlanCreateForm(request.POST or None, initial={"unit": user.unit_id or ""})

    def create() -> WorkPlan:
        unit = get_unit_for_user(user, form.cleaned_data["unit"])  # 404 outside the scope
        return services.plan_create(user=user, data=form.to_data(unit), **form.starting())

    return entry_page(
        request,
        form,
        create,
        said=lambda plan: _("已创建计划草稿。"),
        template="plans/create.html",
        context={"kinds": PlanKind.choices},
    )


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    plan = selectors.get_plan_for_user(user, pk)
    revisions = selectors.plan_revisions(plan)
    context = _content_context(user, plan)
    context.update(
        header(plan.title, ("plans:list", _("工作计划"))),
        revisions=revisions,
        is_latest=revisions[-1].pk == plan.pk,
        can_write=can_write(user, plan.unit_id),
        can_approve=plan.status == PlanStatus.SUBMITTED and services.can_approve_plan(user, plan),
    )
    return render(request, "plans/detail.html", context)


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    plan = selectors.get_plan_for_user(user, pk)
    form = PlanEditForm(request.POST or None, initial=initial_of(plan, ("title", "preamble")))
    return entry_page(
        request,
        form,
        lambda: services.plan_update(user=user, plan=plan, **form.cleaned_data),
        template="plans/edit.html",
        context={"plan": plan},
    )


def _plan_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = request_user(request)
    plan = selectors.get_plan_for_user(user, pk)
    try:
        if action == "submit":
            services.plan_submit(user=user, plan=plan)
            messages.success(request, _("已提交，等待上级审批。"))
        elif action == "approve":
            services.plan_approve(user=user, plan=plan)
            messages.success(request, _("已批准。"))
        elif action == "return":
            services.plan_return(user=user, plan=plan, note=request.POST.get("note", ""))
            messages.success(request, _("已退回为草稿。"))
        elif action == "revise":
            new = services.plan_revise(user=user, plan=plan)
            messages.success(
                request, _("已生成第 %(n)d 版草稿，原版本保留。") % {"n": new.revision}
            )
            return redirect(new)
        elif action == "delete":
            services.plan_delete(user=user, plan=plan)
            messages.success(request, _("已删除，可在操作记录中恢复。"))
            return redirect("plans:list")
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    # Approving from the home page's card leads back there, to the next plan waiting.
    return redirect("home" if request.POST.get("back") == "home" else plan)


def _action_view(action: str) -> View:
    """The button of one step of the plan's life (submit, approve …): a post, then the plan."""

    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        return _plan_action(request, pk, action)

    return view


plan_submit, plan_approve, plan_return, plan_revise, plan_delete = (
    _action_view(action) for action in ("submit", "approve", "return", "revise", "delete")
)


def as_of_from(request: HttpRequest) -> tuple[date, str]:
    """?as_of=YYYY-MM-DD looks back at how a plan stood on a given day (today by default);
    and an error for a mistyped day."""
    if as_of := request.GET.get("as_of", "").strip()[:10]:
        try:
            return date.fromisoformat(as_of), ""
        except ValueError:
            return clock.today(), _("日期格式应为 2026-07-01。")
    return clock.today(), ""


@login_required
def plan_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Each target's actual value, its share of the minimum, and whether it is on track."""
    user = request_user(request)
    plan = selectors.get_plan_for_user(user, pk)
    today, error = as_of_from(request)
    can_mark = can_write(user, plan.unit_id)

    def build() -> str:
        progress = selectors.plan_progress(plan, today)
        context = {
            "plan": plan,
            "period": plan.period,
            "progress": progress,
            "elapsed_percent": round(progress.elapsed * 100),
            "error": error,
            "can_mark": can_mark,
            "export_query": request.GET.urlencode(),
        }
        return render_to_string("plans/_progress.html", context)

    content = build()
    return render(
        request,
        "plans/progress.html",
        {"plan": plan, "content": mark_safe(content)},  # noqa: S308 — rendered by our template
    )


# Sections -----------------------------------------------------------------------------------


@login_required
@require_POST
def section_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    plan = selectors.get_plan_for_user(user, pk)
    form = SectionForm(request.POST)
    if not form.is_valid():
        return _content_response(request, plan, _("请填写部分标题。"))
    add = lambda: services.section_create(user=user, plan=plan, **form.cleaned_data)  # noqa: E731
    return _changed(request, plan, add)


@login_required
def section_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    section = selectors.get_section_for_user(user, pk)
    form = SectionForm(posted(request), initial=initial_of(section, ("title", "item_style")))
    return entry_page(
        request,
        form,
        lambda: services.section_update(user=user, section=section, **form.cleaned_data),
        context={"section": section, "plan": section.plan},
        answer=lambda saved: _content_response(request, section.plan),
        shown=_in_place(
            request,
            "plans/_section_form.html",
            "plans/section_edit.html",
            f"#section-head-{section.pk}",
        ),
    )


section_delete = _section_post(
    lambda user, section, request: services.section_delete(user=user, section=section)
)
section_move = _section_post(
    lambda user, section, request: services.section_move(
        user=user, section=section, up=_up(request)
    )
)


# Items --------------------------------------------------------------------------------------


def _item_entry(
    request: HttpRequest,
    form: ItemForm,
    save: Callable[[], object],
    section: PlanSection,
    item: PlanItem | None,
    target: str,
) -> HttpResponse:
    """An item's form, new or changed, in place in the plan's content."""
    plan = section.plan
    return entry_page(
        request,
        form,
        save,
        context={"section": section, "plan": plan, "item": item},
        answer=lambda saved: _content_response(request, plan),
        shown=_in_place(request, "plans/_item_form.html", "plans/item_edit.html", target),
    )


@login_required
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    section = selectors.get_section_for_user(user, pk)
    form = ItemForm(posted(request), scope=user.scope)
    save = lambda: services.item_create(user=user, section=section, data=form.data_object())  # noqa: E731
    return _item_entry(request, form, save, section, None, f"#add-item-{section.pk}")


@login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    item = selectors.get_item_for_user(user, pk)
    names = ("text", "indicator", "target_min", "target_max", "deadline", "owner")
    form = ItemForm(
        posted(request),
        scope=user.scope,
        initial=initial_of(item, names),
        current_indicator=item.indicator,
    )
    # A plan locked since the form was opened refuses the change; the refusal (code "locked")
    # shows on the form like any other rule, and nothing is saved.
    save = lambda: services.item_update(user=user, item=item, data=form.data_object())  # noqa: E731
    return _item_entry(request, form, save, item.section, item, f"#item-{item.pk}")


item_delete = _item_post(lambda user, item, request: services.item_delete(user=user, item=item))
item_move = _item_post(
    lambda user, item, request: services.item_move(user=user, item=item, up=_up(request))
)


@login_required
def item_done(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark an item done with a note and the activities that show it."""
    user = request_user(request)
    item = selectors.get_item_for_user(user, pk)
    plan = item.section.plan
    activities = selectors.evidence_choices(plan)
    form = ItemDoneForm(request.POST or None, item=item, activities=activities)
    return entry_page(
        request,
        form,
        lambda: services.item_mark_done(user=user, item=item, **form.marking()),
        said=lambda done: _("已登记完成情况。"),
        to=lambda done: reverse("plans:progress", args=[plan.pk]),
        template="plans/item_done.html",
        context={"item": item, "plan": plan},
    )
