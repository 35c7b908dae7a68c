"""Reading people, teams, training classes and honours, always within the user's scope.

A record of another unit is a 404 (as if it did not exist); a part of a record (a membership,
a session, a trainee) is reached only through a live record in scope.
"""

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.translation import gettext as _

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_write
from xuanwen.activities.models import Activity
from xuanwen.activities.selectors import ActivityFilter, activity_search
from xuanwen.records.selectors import one_or_404, parts_in_scope

from .models import (
    Attendance,
    Honour,
    Person,
    Team,
    TeamGenre,
    TeamMember,
    TeamPerformance,
    Trainee,
    TrainingClass,
    TrainingSession,
)


def phone_visible(user: User, unit_code: str) -> bool:
    """Phone numbers are personal data: only for those who may write in the person's unit."""
    return can_write(user, unit_code)


# --- People ----------------------------------------------------------------------------------


def people_for(user: User) -> QuerySet[Person]:
    """Live people of the user's subtree."""
    return Person.objects.filter(user.scope.q("unit_id"))


def get_person_for_user(user: User, pk: int) -> Person:
    return one_or_404(
        people_for(user).select_related("unit"), pk, _("未找到该人员，或您无权查看。")
    )


def person_teams(person: Person) -> list[TeamMember]:
    return list(
        person.memberships.filter(team__deleted_at__isnull=True)
        .select_related("team", "team__genre")
        .order_by("team__name")
    )


def person_trainings(person: Person) -> list[TrainingClass]:
    return list(
        TrainingClass.objects.filter(trainees__person=person).order_by("-start_date", "-id")
    )


def person_honours(person: Person) -> list[Honour]:
    return list(Honour.objects.filter(person=person).order_by("-year", "-id"))


# --- Teams -----------------------------------------------------------------------------------


def teams_for(user: User) -> QuerySet[Team]:
    return Team.objects.filter(user.scope.q("unit_id"))


def get_team_for_user(user: User, pk: int) -> Team:
    qs = teams_for(user).select_related("unit", "genre", "leader")
    return one_or_404(qs, pk, _("未找到该队伍，或您无权查看。"))


def team_genres() -> QuerySet[TeamGenre]:
    return TeamGenre.objects.filter(active=True)


def team_list(user: User) -> QuerySet[Team]:
    """The user's teams as their list shows them (filters.team_filters narrows it)."""
    # The members counted in the same query, people deleted since left out.
    return (
        teams_for(user)
        .select_related("unit", "genre", "leader")
        .annotate(member_count=Count("members", filter=Q(members__person__deleted_at__isnull=True)))
        .order_by("unit_id", "name", "id")
    )


def team_members(team: Team) -> list[TeamMember]:
    return list(
        team.members.filter(person__deleted_at__isnull=True).select_related("person").order_by("id")
    )


def team_performances(team: Team) -> list[TeamPerformance]:
    """The team's performances, newest first (the deleted activities left out)."""
    return list(
        team.performances.filter(activity__deleted_at__isnull=True)
        .select_related("activity", "activity__unit")
        .order_by("-activity__start_date", "-id")
    )


def performance_counts(team: Team) -> list[tuple[int, int]]:
    """(year, number of performances) for each year with any, newest first (one query)."""
    rows = (
        team.performances.filter(activity__deleted_at__isnull=True)
        .annotate(year=ExtractYear("activity__start_date"))
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("-year")
    )
    return [(r["year"], r["n"]) for r in rows]


# How many activities the performance picker offers at a time: the newest, or the newest that
# match what was typed (any activity of the subtree, however old, is found by searching).
PICKER_LIMIT = 30


def performance_choices(
    user: User, team: Team, text: str = "", limit: int = PICKER_LIMIT
) -> list[Activity]:
    """Activities of the team's unit subtree that the team could have performed at, newest
    first: those whose name or place contains `text` (or whose pinyin does, for letters)."""
    linked = team.performances.values("activity_id")
    found = activity_search(user, ActivityFilter(unit=team.unit_id, text=text[:50]))
    return list(found.exclude(pk__in=linked).order_by("-start_date", "-id")[:limit])


def get_member_for_user(user: User, pk: int) -> TeamMember:
    qs = parts_in_scope(TeamMember, user, "team").select_related("team", "person")
    return one_or_404(qs, pk, _("未找到该队员，或您无权查看。"))


def get_performance_for_user(user: User, pk: int) -> TeamPerformance:
    qs = parts_in_scope(TeamPerformance, user, "team").select_related("team", "activity")
    return one_or_404(qs, pk, _("未找到该演出记录，或您无权查看。"))


# --- Training classes ------------------------------------------------------------------------


def trainings_for(user: User) -> QuerySet[TrainingClass]:
    return TrainingClass.objects.filter(user.scope.q("unit_id"))


def get_training_for_user(user: User, pk: int) -> TrainingClass:
    qs = trainings_for(user).select_related("unit", "activity")
    return one_or_404(qs, pk, _("未找到该培训班，或您无权查看。"))


def training_list(user: User) -> QuerySet[TrainingClass]:
    """The user's training classes as their list shows them (filters.training_filters
    narrows it)."""
    return (
        trainings_for(user)
        .select_related("unit")
        .annotate(
            session_count=Count("sessions", distinct=True),
            trainee_count=Count("trainees", distinct=True),
        )
        .order_by("-start_date", "-id")
    )


def with_totals(classes: QuerySet[TrainingClass]) -> QuerySet[TrainingClass]:
    """The classes with each one's hours and attendance, as subqueries (a join over sessions
    and trainees at once would multiply the sums)."""
    hours = (
        TrainingSession.objects.filter(training_class=OuterRef("pk"))
        .values("training_class")
        .annotate(s=Sum("hours"))
        .values("s")
    )
    present = (
        Attendance.objects.filter(session__training_class=OuterRef("pk"))
        .values("session__training_class")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return classes.annotate(
        total_hours=Subquery(hours),
        attendance_count=Coalesce(Subquery(present, output_field=IntegerField()), 0),
    )


def training_sessions(tc: TrainingClass) -> list[TrainingSession]:
    """The sessions, each with how many were present (one query)."""
    return list(tc.sessions.annotate(present=Count("attendance")).order_by("date", "id"))


def training_trainees(tc: TrainingClass) -> list[Trainee]:
    """The trainees, each with how many sessions they attended (one query)."""
    return list(
        tc.trainees.filter(person__deleted_at__isnull=True)
        .select_related("person", "person__unit")
        .annotate(attended=Count("attendance"))
        .order_by("person__name", "id")
    )


def get_session_for_user(user: User, pk: int) -> TrainingSession:
    qs = parts_in_scope(TrainingSession, user, "training_class").select_related(
        "training_class", "training_class__unit"
    )
    return one_or_404(qs, pk, _("未找到该课次，或您无权查看。"))


def get_trainee_for_user(user: User, pk: int) -> Trainee:
    qs = parts_in_scope(Trainee, user, "training_class").select_related("training_class", "person")
    return one_or_404(qs, pk, _("未找到该学员，或您无权查看。"))


def session_present(session: TrainingSession) -> set[int]:
    return set(session.attendance.values_list("trainee_id", flat=True))


# --- Honours ---------------------------------------------------------------------------------


def honours_for(user: User) -> QuerySet[Honour]:
    return Honour.objects.filter(user.scope.q("unit_id"))


def get_honour_for_user(user: User, pk: int) -> Honour:
    qs = honours_for(user).select_related("unit", "person", "team")
    return one_or_404(qs, pk, _("未找到该荣誉，或您无权查看。"))
