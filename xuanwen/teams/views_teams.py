"""Team pages: list, detail with members and performances, entry form, genres (admins)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_manage_scope, can_write, request_user
from xuanwen.activities.selectors import get_activity_for_user
from xuanwen.core.entry import errors_to_form

from . import selectors, services
from .forms import MemberForm, PerformanceForm, TeamForm, split_names, team_initial
from .models import Team, TeamGenre
from .views import (
    form_kwargs,
    list_filter,
    render_form,
    render_list,
    require_create,
    require_write,
    save_or_errors,
)


def may_manage_genres(user: User) -> bool:
    return can_manage_scope(user)


@login_required
@require_GET
def team_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    c = list_filter(request)
    f = selectors.TeamFilter(
        unit=c.get("unit") or "",
        genre_id=c.get("genre"),
        active=c.get("active"),
        text=c.get("q") or "",
    )
    context = {
        "f": f,
        "unit": f.unit,
        "genres": selectors.team_genres(),
        "may_manage_genres": may_manage_genres(user),
    }
    return render_list(request, "teams/teams/list.html", selectors.team_search(user, f), context)


def _detail_context(
    user: User,
    team: Team,
    member_form: MemberForm | None = None,
    performance_form: PerformanceForm | None = None,
) -> dict[str, Any]:
    writable = can_write(user, team.unit_id)
    choices = selectors.performance_choices(user, team) if writable else []
    return {
        "team": team,
        "can_write": writable,
        "members": selectors.team_members(team),
        "performances": selectors.team_performances(team),
        "per_year": selectors.performance_counts(team),
        "member_form": member_form or MemberForm(),
        "performance_form": performance_form or PerformanceForm(choices=choices),
        "honours": list(team.honours.filter(deleted_at__isnull=True)),
    }


@login_required
@require_GET
def team_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    team = selectors.get_team_for_user(user, pk)
    return render(request, "teams/teams/detail.html", _detail_context(user, team))


def _team_form(request: HttpRequest, team: Team | None) -> HttpResponse:
    user = request_user(request)
    form = TeamForm(team=team, **form_kwargs(request, team_initial(team) if team else None))
    if request.method == "POST" and form.is_valid():

        def save() -> Team:
            # The leader may be made from their name: with the team, or not at all.
            with transaction.atomic():
                data = form.to_data()
                if team is None:
                    return services.team_create(user=user, data=data)
                return services.team_update(user=user, team=team, data=data)

        saved = save_or_errors(form, save)
        if saved is not None:
            messages.success(request, _("已保存队伍“%(name)s”。") % {"name": saved.name})
            return redirect(saved)
    heading = _("编辑队伍") if team else _("登记队伍")
    back = team.get_absolute_url() if team else reverse("teams:team_list")
    return render_form(request, form, heading, back, section="teams")


@login_required
def team_create(request: HttpRequest) -> HttpResponse:
    require_create(request_user(request))
    return _team_form(request, None)


@login_required
def team_edit(request: HttpRequest, pk: int) -> HttpResponse:
    team = selectors.get_team_for_user(request_user(request), pk)
    require_write(request_user(request), team.unit_id)
    return _team_form(request, team)


@login_required
@require_POST
def team_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    team = selectors.get_team_for_user(user, pk)
    services.team_delete(user=user, team=team)
    messages.success(request, _("已删除“%(name)s”，可在操作记录中恢复。") % {"name": team.name})
    return redirect("teams:team_list")


def _writable_team(user: User, pk: int) -> Team:
    team = selectors.get_team_for_user(user, pk)
    require_write(user, team.unit_id)
    return team


def _back(team: Team, anchor: str) -> HttpResponse:
    return redirect(team.get_absolute_url() + anchor)


def _flash_errors(request: HttpRequest, form: Any) -> None:
    for errors in form.errors.values():
        messages.error(request, "；".join(errors))


@login_required
@require_POST
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add members by name (several at once); a name nobody has becomes a new person."""
    user = request_user(request)
    team = _writable_team(user, pk)
    form = MemberForm(request.POST)
    if form.is_valid():
        c = form.cleaned_data
        try:
            with transaction.atomic():
                people = services.people_by_names(
                    user=user, unit=team.unit, names=split_names(c["names"])
                )
                for person in people:
                    data = services.MemberData(
                        person=person, role=c["role"], joined_on=c["joined_on"]
                    )
                    services.team_member_add(user=user, team=team, data=data)
        except ValidationError as exc:
            errors_to_form(form, exc)
        else:
            messages.success(request, _("已添加 %(n)d 名队员。") % {"n": len(people)})
    _flash_errors(request, form)
    return _back(team, "#members")


@login_required
@require_POST
def member_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    member = selectors.get_member_for_user(user, pk)
    services.team_member_remove(user=user, member=member)
    messages.success(request, _("已移除队员“%(name)s”。") % {"name": member.person.name})
    return _back(member.team, "#members")


@login_required
@require_POST
def performance_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    team = _writable_team(user, pk)
    form = PerformanceForm(request.POST, choices=selectors.performance_choices(user, team))
    if form.is_valid():
        activity = get_activity_for_user(user, form.cleaned_data["activity"])
        try:
            services.team_performance_add(user=user, team=team, activity=activity)
        except ValidationError as exc:
            errors_to_form(form, exc)
    _flash_errors(request, form)
    return _back(team, "#performances")


@login_required
@require_POST
def performance_remove(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    performance = selectors.get_performance_for_user(user, pk)
    services.team_performance_remove(user=user, performance=performance)
    return _back(performance.team, "#performances")


# --- Genres (shared by the whole deployment; admins maintain them) --------------------------


@login_required
def genre_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    if not may_manage_genres(user):
        raise PermissionDenied(_("只有系统管理员可以管理队伍类别。"))
    error = ""
    if request.method == "POST":
        try:
            genre = services.team_genre_create(user=user, name=request.POST.get("name", ""))
        except ValidationError as exc:
            error = "；".join(exc.messages)
        else:
            messages.success(request, _("已添加队伍类别“%(name)s”。") % {"name": genre.name})
            return redirect("teams:genre_list")
    genres = TeamGenre.objects.order_by("ordering", "name")
    return render(request, "teams/teams/genres.html", {"genres": genres, "error": error})


@login_required
@require_POST
def genre_active(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    genre = TeamGenre.objects.filter(pk=pk).first()
    if genre is None:
        raise Http404(_("没有这个队伍类别。"))
    if not may_manage_genres(user):
        raise PermissionDenied(_("只有系统管理员可以管理队伍类别。"))
    services.team_genre_set_active(user=user, genre=genre, active=not genre.active)
    return redirect("teams:genre_list")
