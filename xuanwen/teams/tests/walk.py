"""The scope walker's description of the teams app (see xuanwen/tests/walk.py)."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from xuanwen.accounts.models import MANAGE_ROLES, WRITE_ROLES, User
from xuanwen.teams.models import (
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
from xuanwen.testing import Tree
from xuanwen.tests.walk import owned_kinds, records, register_forms
from xuanwen.units.models import Unit


def fixtures(root: User, admin: User) -> None:
    """In every unit: a person in a team (with a performance) and a class (a session, the
    person as trainee), an honour; plus a soft-deleted one of each in township A."""
    from xuanwen.activities.models import Activity

    genre = TeamGenre.objects.order_by("pk").first()
    for unit in Unit.objects.order_by("code"):
        person = Person.objects.create(unit=unit, name=f"{unit.name}队员")
        team = Team.objects.create(unit=unit, name=f"{unit.name}秧歌队", genre=genre, leader=person)
        TeamMember.objects.create(team=team, person=person)
        activity = Activity.objects.filter(unit=unit).order_by("pk").first()
        if activity is not None:
            TeamPerformance.objects.create(team=team, activity=activity)
        tc = TrainingClass.objects.create(
            unit=unit, title=f"{unit.name}培训班", start_date=date(2025, 3, 1),
            end_date=date(2025, 3, 31),
        )  # fmt: skip
        TrainingSession.objects.create(training_class=tc, date=date(2025, 3, 2), hours=Decimal(2))
        Trainee.objects.create(training_class=tc, person=person)
        Honour.objects.create(
            unit=unit, holder_kind="unit", name=f"{unit.name}先进集体", level="county", year=2025
        )
    gone = {"deleted_at": timezone.now()}
    Person.objects.create(unit_id=Tree.TOWNSHIP_A, name="已删除的人员", **gone)
    Team.objects.create(unit_id=Tree.TOWNSHIP_A, name="已删除的队伍", genre=genre, **gone)
    TrainingClass.objects.create(
        unit_id=Tree.TOWNSHIP_A, title="已删除的培训班", start_date=date(2025, 3, 1),
        end_date=date(2025, 3, 1), **gone,
    )  # fmt: skip
    Honour.objects.create(
        unit_id=Tree.TOWNSHIP_A, holder_kind="unit", name="已删除的荣誉", level="county", year=2025,
        **gone,
    )  # fmt: skip


# Genres are national or a unit's own (records.models; each unit owns one, see the walk's
# owned_kind_fixtures): another county's is outside.
genre_ids = owned_kinds(TeamGenre)


person_ids = records(Person, "unit_id")
team_ids = records(Team, "unit_id")
training_ids = records(TrainingClass, "unit_id")
honour_ids = records(Honour, "unit_id")

FIXTURES = [fixtures]
PARAMS = {
    # pages
    "people:pk": person_ids,
    "teams:pk": team_ids,
    "training:pk": training_ids,
    "honours:pk": honour_ids,
    "team-members:pk": records(TeamMember, "team__unit_id"),
    "team-performances:pk": records(TeamPerformance, "team__unit_id"),
    "team-genres:pk": genre_ids,
    "training-sessions:pk": records(TrainingSession, "training_class__unit_id"),
    "trainees:pk": records(Trainee, "training_class__unit_id"),
    # API paths, and body fields naming records
    "people:person_id": person_ids,
    "teams:team_id": team_ids,
    "training:class_id": training_ids,
    "honours:honour_id": honour_ids,
    "members:member_id": records(TeamMember, "team__unit_id"),
    "performances:performance_id": records(TeamPerformance, "team__unit_id"),
    "teams:leader": person_ids,
    "honours:person": person_ids,
    "honours:team": team_ids,
    # query parameters naming no record
    "teams:genre": None,
    "teams:active": None,
    "teams:undated": None,  # only teams without a founding date (待补日期)
    "training:start": None,
    "training:end": None,
    "honours:level": None,
    "honours:kind": None,
}
FORM_PAGES = {
    **register_forms("people"),
    **register_forms("teams"),
    **register_forms("training"),
    **register_forms("honours"),
    "/teams/{pk}/performances/choices/": WRITE_ROLES,  # the performance picker's search
    "/teams/genres/": MANAGE_ROLES,
    "/training/training-sessions/{pk}/attendance/": WRITE_ROLES,
}
