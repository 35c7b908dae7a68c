"""Making people, teams, training classes and honours straight in the database (setup only;
the pages and API under test go through the services)."""

from datetime import date
from decimal import Decimal
from typing import Any

from xuanwen.records.tests.make import searchable
from xuanwen.teams.models import (
    Honour,
    Person,
    Team,
    TeamGenre,
    TeamMember,
    Trainee,
    TrainingClass,
    TrainingSession,
)

_counter = iter(range(1, 1_000_000))


def make_person(unit_code: str, **fields: Any) -> Person:
    name = fields.pop("name", f"队员{next(_counter)}")
    values: dict[str, Any] = {"unit_id": unit_code, "name": name, "search_pinyin": searchable(name)}
    values.update(fields)
    return Person.objects.create(**values)


def make_team(unit_code: str, members: int = 0, **fields: Any) -> Team:
    """A team straight in the database, founded in 2015 unless `founded_on` says otherwise."""
    name = fields.pop("name", f"秧歌队{next(_counter)}")
    values: dict[str, Any] = {
        "unit_id": unit_code,
        "name": name,
        "genre": TeamGenre.objects.get(name="秧歌队"),
        "founded_on": date(2015, 1, 1),
        "search_pinyin": searchable(name),
    }
    values.update(fields)
    team = Team.objects.create(**values)
    for _i in range(members):
        TeamMember.objects.create(team=team, person=make_person(unit_code))
    return team


def make_training(unit_code: str, sessions: int = 0, trainees: int = 0, **fields: Any) -> Any:
    title = fields.pop("title", f"文艺骨干培训班{next(_counter)}")
    values: dict[str, Any] = {
        "unit_id": unit_code,
        "title": title,
        "start_date": date(2026, 3, 1),
        "end_date": date(2026, 3, 31),
        "search_pinyin": searchable(title),
    }
    values.update(fields)
    tc = TrainingClass.objects.create(**values)
    for i in range(sessions):
        TrainingSession.objects.create(
            training_class=tc, date=tc.start_date, hours=Decimal("2"), topic=f"第{i + 1}课"
        )
    for _i in range(trainees):
        Trainee.objects.create(training_class=tc, person=make_person(unit_code))
    return tc


def make_honour(unit_code: str, **fields: Any) -> Honour:
    name = fields.pop("name", f"先进集体{next(_counter)}")
    values: dict[str, Any] = {
        "unit_id": unit_code,
        "holder_kind": "unit",
        "name": name,
        "level": "county",
        "year": 2026,
        "search_pinyin": searchable(name),
    }
    values.update(fields)
    return Honour.objects.create(**values)
