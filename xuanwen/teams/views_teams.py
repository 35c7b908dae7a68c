"""Team pages: list, detail with members and performances, entry form, genres (admins)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_POST

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_manage_scope, can_write, request_user
from xuanwen.activities.selectors import get_activity_for_user
from xuanwen.records.pages import flash_errors, list_page, require_write, save_form

from . import selectors, services
from .filters import team_filters
from .forms import MemberForm, PerformanceForm, TeamForm, split_names
from .models import Team, TeamGenre
from .views import CANNOT_EDIT, entry_pages, list_context, saying


def may_manage_genres(user: User) -> bool:
    return can_manage_scope(user)


@login_required
@require_GET
def team_list(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    filters = team_filters(user, request.GET)
    context = list_context(
        user,
        filters,
        genres=selectors.team_genres(),
        may_manage_genres=may_manage_genres(user),
    )
    return list_page(
        request,
        filters,
        template="teams/teams/list.html",
        partial="teams/teams/_results.html",
        context=context,
    )


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


team_create, team_edit, team_delete = entry_pages(
    name="team",
    get=selectors.get_team_for_user,
    form=TeamForm,
    create=services.team_create,
    update=services.team_update,
    delete=services.team_delete,
    heading=(_lazy("登记队伍"), _lazy("编辑队伍")),
    list_url="teams:team_list",
    created=saying(_lazy("已保存队伍“%(name)s”。")),
    saved=saying(_lazy("已保存队伍“%(name)s”。")),
    label=lambda team: team.name,
)


def _writable_team(user: User, pk: int) -> Team:
    team = selectors.get_team_for_user(user, pk)
    require_write(user, team.unit_id, str(CANNOT_EDIT))
    return team


def _back(team: Team, anchor: str) -> HttpResponse:
    return redirect(team.get_absolute_url() + anchor)


@login_required
@require_POST
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add members by name (several at once); a name nobody has becomes a new person."""
    user = request_user(request)
    team = _writable_team(user, pk)
    form = MemberForm(request.POST)

    @transaction.atomic
    def add() -> int:
        c = form.cleaned_data
        people = services.people_by_names(user=user, unit=team.unit, names=split_names(c["names"]))
        for person in people:
            data = services.MemberData(person=person, role=c["role"], joined_on=c["joined_on"])
            services.team_member_add(user=user, team=team, data=data)
        return len(people)

    if form.is_valid() and (n := save_form(form, add)) is not None:
        messages.success(request, _("已添加 %(n)d 名队员。") % {"n": n})
    flash_errors(request, form)
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
        save_form(
            form, lambda: services.team_performance_add(user=user, team=team, activity=activity)
        )
    flash_errors(request, form)
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
