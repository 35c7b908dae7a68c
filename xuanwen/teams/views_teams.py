"""Team pages: list, detail with members and performances, entry form, genres (admins)."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_manage_scope, can_write, request_user
from xuanwen.records.pages import Catalogue

from . import selectors, services
from .filters import team_filters
from .forms import MemberForm, PerformanceForm, TeamForm, activity_label
from .models import Person, Team, TeamGenre
from .views import at, entry_pages, list_view, part_post, people_post, remove_view


def may_manage_genres(user: User) -> bool:
    return can_manage_scope(user)


team_list = list_view(
    team_filters,
    "teams",
    _lazy("业余文艺队伍"),
    lambda user: {"genres": selectors.team_genres(), "may_manage_genres": may_manage_genres(user)},
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


TEAM_PAGES = entry_pages(
    name="team",
    get=selectors.get_team_for_user,
    form=TeamForm,
    create=services.team_create,
    update=services.team_update,
    delete=services.team_delete,
    heading=(_lazy("登记队伍"), _lazy("编辑队伍")),
    crumb=_lazy("业余文艺队伍"),
    saved=_lazy("已保存队伍“%(name)s”。"),
)
team_detail = TEAM_PAGES.detail("teams/teams/detail.html", _detail_context)


@login_required
@require_POST
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add members by name (several at once); a name nobody has becomes a new person."""
    user = request_user(request)
    team = TEAM_PAGES.writable(user, pk)
    form = MemberForm(request.POST)

    def add(people: list[Person]) -> int:
        c = form.cleaned_data
        for person in people:
            data = services.MemberData(person=person, role=c["role"], joined_on=c["joined_on"])
            services.team_member_add(user=user, team=team, data=data)
        return len(people)

    return people_post(request, team, form, add, "#members", _lazy("已添加 %(n)d 名队员。"))


member_remove = remove_view(
    selectors.get_member_for_user,
    services.team_member_remove,
    "member",
    lambda member: at(member.team, "#members"),
    lambda member: _("已移除队员“%(name)s”。") % {"name": member.person.name},
)


@login_required
@require_POST
def performance_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request_user(request)
    team = TEAM_PAGES.writable(user, pk)
    form = PerformanceForm(request.POST, choices=[])

    def add() -> int:
        ids = form.cleaned_data["activities"]
        return len(services.team_performances_add(user=user, team=team, activities=ids))

    done = lambda n: _("已添加 %(n)d 场演出。") % {"n": n}  # noqa: E731
    return part_post(request, form, add, at(team, "#performances"), done)


@login_required
def performance_choices(request: HttpRequest, pk: int) -> HttpResponse:
    """The performance picker's options for what the user typed (htmx): the newest matching
    activities of the team's subtree not yet linked, searched on the server."""
    user = request_user(request)
    team = TEAM_PAGES.writable(user, pk)
    text = request.GET.get("q", "")[:50]
    found = selectors.performance_choices(user, team, text)
    options = [(a.pk, activity_label(a)) for a in found]
    return render(request, "teams/teams/_performance_options.html", {"options": options, "q": text})


performance_remove = remove_view(
    selectors.get_performance_for_user,
    services.team_performance_remove,
    "performance",
    lambda performance: at(performance.team, "#performances"),
)


# --- Genres (shared by the whole deployment; admins maintain them) --------------------------


GENRES = Catalogue(
    model=TeamGenre,
    arg="genre",
    create=services.team_genre_create,
    set_active=services.team_genre_set_active,
    may_manage=may_manage_genres,
    refused=_lazy("只有系统管理员可以管理队伍类别。"),
    missing=_lazy("没有这个队伍类别。"),
    added=_lazy("已添加队伍类别“%(name)s”。"),
    template="teams/teams/genres.html",
    url="teams:genre_list",
    title=_lazy("队伍类别"),
    crumb=("teams:team_list", _lazy("业余文艺队伍")),
)
genre_list, genre_active = GENRES.views()
