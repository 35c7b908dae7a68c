"""Activity pages: list, calendar, detail, entry form, photos and files, coverage and awards.

Reads go through scoped selectors and writes through services, as records.pages describes.
"""

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_write, request_user
from xuanwen.core import clock, files
from xuanwen.core.entry import is_htmx, options_html
from xuanwen.core.festivals import festivals
from xuanwen.records.pages import (
    RecordPages,
    Section,
    StoredFiles,
    photo_or_download,
    require_write,
    section_rows,
)
from xuanwen.units.pickers import unit_options
from xuanwen.units.selectors import unit_search

from . import selectors, services
from .forms import (
    ActivityForm,
    AwardForm,
    CoverageForm,
    FilterForm,
    may_create,
    parse_month,
)
from .models import Activity, AttachmentKind
from .views_types import may_manage_types


def _filter(request: HttpRequest, user: User) -> tuple[FilterForm, selectors.ActivityFilter]:
    form = FilterForm(request.GET, user=user)
    form.is_valid()  # invalid parts are left out of cleaned_data and so not applied
    c = form.cleaned_data
    return form, selectors.ActivityFilter(
        unit=c.get("unit") or "",
        type_id=c.get("type"),
        start=c.get("start"),
        end=c.get("end"),
        text=c.get("q") or "",
    )


@dataclass(frozen=True)
class ListRow:
    """One line of the list as the template shows it: a link and a line of plain text."""

    url: str
    title: str
    meta: str  # dates · unit · type · place · audience, escaped by the template


def _list_rows(rows: list[Any]) -> list[ListRow]:
    # The meta line is joined here once per row rather than by a dozen template tags per row
    # (an {% if %}, a |date and a {% blocktranslate %} each): those were most of the page.
    # A row's link is the list's URL and its id: one reverse for the page, not one per row.
    list_url = reverse("activities:list")
    audience = _("观众 %(n)s 人")
    out = []
    for r in rows:
        dates = r.start_date.isoformat()
        if r.end_date != r.start_date:
            dates += f" – {r.end_date.isoformat()}"
        meta = [dates, r.unit__name, r.type__name]
        if r.place:
            meta.append(r.place)
        if r.audience:
            meta.append(audience % {"n": r.audience})
        out.append(ListRow(f"{list_url}{r.pk}/", r.title, " · ".join(meta)))
    return out


@login_required
@require_GET
def activity_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    _form, f = _filter(request, user)
    page = selectors.activity_page(user, f, request.GET.get("at", ""))
    # The page links keep the filter: everything in the query string but the page itself.
    query = request.GET.copy()
    query.pop("at", None)
    context: dict[str, Any] = {
        "page": page,
        "rows": _list_rows(page.rows),
        "query": query.urlencode(),
        "last": selectors.LAST,
    }
    if is_htmx(request):
        response = render(request, "activities/_results.html", context)
    else:
        context.update(
            {
                "f": f,
                "type_options": options_html(
                    selectors.activity_types(user.scope).values_list("pk", "name"), f.type_id
                ),
                "unit_options": unit_options(user, f.unit),
                "may_create": may_create(user),
                "may_manage_types": may_manage_types(user),
            }
        )
        response = render(request, "activities/list.html", context)
    # The same URL answers with a fragment or a page; caches and history must tell them apart.
    patch_vary_headers(response, ["HX-Request"])
    return response


def _detail_context(
    user: User,
    activity: Activity,
    coverage_form: CoverageForm | None = None,
    award_form: AwardForm | None = None,
) -> dict[str, Any]:
    attachments = list(activity.attachments.all())
    return {
        "activity": activity,
        "photos": [a for a in attachments if a.kind == AttachmentKind.PHOTO],
        "files": [a for a in attachments if a.kind == AttachmentKind.FILE],
        "coverage": list(activity.coverage.all()),
        "awards": list(activity.awards.all()),
        "coverage_form": coverage_form or CoverageForm(initial={"date": activity.start_date}),
        "award_form": award_form or AwardForm(),
        "can_write": can_write(user, activity.unit_id),
        "upload_accept": files.ACCEPT,
        "upload_max_mb": files.max_bytes() // (1024 * 1024),
    }


PAGES = RecordPages(
    name="activity",
    get=selectors.get_activity_for_user,
    form=ActivityForm,
    # Today, the user's own unit and no counts yet: most activities are entered on the day.
    initial=lambda user: {
        "start_date": clock.today(),
        "participants": 0,
        "audience": 0,
        **({"unit": user.unit_id} if user.unit_id else {}),
    },
    create=services.activity_create,
    update=services.activity_update,
    delete=services.activity_delete,
    template="activities/form.html",
    list_url="activities:list",
    may_create=may_create,
    cannot_create=_lazy("您的角色只能查看，不能登记活动。"),
    cannot_edit=_lazy("您不能修改该活动。"),
    created=lambda activity: _("已登记活动“%(title)s”。") % {"title": activity.title},
    label=lambda activity: activity.title,
    crumb=_lazy("活动"),
    heading=(_lazy("登记活动"), _lazy("编辑活动")),
    # The edit page shows the activity's photos and files to add to or remove.
    context=lambda user, activity: _detail_context(user, activity) if activity else {},
)
activity_detail = PAGES.detail("activities/detail.html", _detail_context)


@login_required
@require_GET
def unit_choices(request: HttpRequest) -> HttpResponse:
    """The entry form's unit search (for users whose subtree is too large for a select)."""
    user = request_user(request)
    query = request.GET.get("unit_q", "")
    results = [u for u in unit_search(user, query) if can_write(user, u.code)] if query else []
    return render(
        request,
        "activities/_unit_choices.html",
        {"results": results, "q": query, "selected": request.GET.get("unit", "")},
    )


# --- Photos and files ----------------------------------------------------------------------


def _attachable(user: User, pk: int) -> Activity:
    activity = selectors.get_activity_for_user(user, pk)
    require_write(user, activity.unit_id, _("您不能为该活动上传附件。"))
    return activity


ATTACHMENTS = StoredFiles(
    owner=_attachable,
    add=services.attachment_add,
    of="activity",
    get=selectors.get_attachment_for_user,
    delete=services.attachment_delete,
    arg="attachment",
    anchor="attachments",
    deleted=_lazy("已删除附件“%(name)s”。"),
    no_thumb=_lazy("该附件没有缩略图。"),
    # Photos open in the browser (a phone shows them full screen); documents download.
    inline=photo_or_download(AttachmentKind.PHOTO),
    # The edit page lists the files too, and uploads from there stay there.
    edit="activities:edit",
)


# --- Media coverage and awards (htmx sections, plain posts without JavaScript) --------------


def _section(
    request: HttpRequest, user: User, activity: Activity, anchor: str, **forms: Any
) -> Section:
    back = reverse("activities:detail", args=[activity.pk]) + f"#{anchor}"
    context = lambda **forms: _detail_context(user, activity, **forms)  # noqa: E731
    return Section(f"activities/_{anchor}.html", back, context, forms)


coverage_add, coverage_delete = section_rows(
    PAGES.writable, _section, of="activity", anchor="coverage", arg="coverage",
    form=CoverageForm, add=services.coverage_add, get=selectors.get_coverage_for_user,
    delete=services.coverage_delete,
    fresh=lambda activity: CoverageForm(initial={"date": activity.start_date}),
)  # fmt: skip
award_add, award_delete = section_rows(
    PAGES.writable, _section, of="activity", anchor="awards", arg="award", form=AwardForm,
    add=services.award_add, get=selectors.get_award_for_user, delete=services.award_delete,
)  # fmt: skip


# --- Month calendar ------------------------------------------------------------------------


@dataclass
class Day:
    """One square of the month grid."""

    date: date
    in_month: bool
    is_today: bool
    festivals: list[str] = field(default_factory=list)
    activities: list[Activity] = field(default_factory=list)


def _month_str(d: date) -> str:
    return f"{d.year:04d}-{d.month:02d}"


@login_required
@require_GET
def activity_calendar(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    today = clock.today()
    first = parse_month(request.GET.get("month", ""), today)
    form, f = _filter(request, user)
    weeks = calendar.Calendar(firstweekday=calendar.MONDAY).monthdatescalendar(
        first.year, first.month
    )
    grid_start, grid_end = weeks[0][0], weeks[-1][-1]

    by_day: dict[date, list[Activity]] = defaultdict(list)
    # One query for the whole grid; a multi-day activity is placed on each of its days.
    for activity in selectors.activities_in_period(user, grid_start, grid_end, f.unit):
        day = max(activity.start_date, grid_start)
        last = min(activity.end_date, grid_end)
        while day <= last:
            by_day[day].append(activity)
            day += timedelta(days=1)
    names: dict[date, list[str]] = defaultdict(list)
    for year in sorted({grid_start.year, grid_end.year}):
        for day, name in festivals(year):
            names[day].append(name)

    grid = [
        [
            Day(
                date=d,
                in_month=d.month == first.month,
                is_today=d == today,
                festivals=names.get(d, []),
                activities=by_day.get(d, []),
            )
            for d in week
        ]
        for week in weeks
    ]
    busy = [
        day for week in grid for day in week if day.in_month and (day.festivals or day.activities)
    ]
    prev_month = (first - timedelta(days=1)).replace(day=1)
    next_month = (first + timedelta(days=32)).replace(day=1)
    return render(
        request,
        "activities/calendar.html",
        {
            "first": first,
            "weeks": grid,
            "busy": busy,
            "weekdays": [_("一"), _("二"), _("三"), _("四"), _("五"), _("六"), _("日")],
            "month": _month_str(first),
            "prev_month": _month_str(prev_month),
            "next_month": _month_str(next_month),
            "this_month": _month_str(today),
            "unit": f.unit,
            "form": form,
            "unit_options": unit_options(user, f.unit),
            "may_create": may_create(user),
        },
    )
