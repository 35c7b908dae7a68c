"""Importing many people, teams, training classes or honours at once (the Excel import): all
or nothing.

The rules are the services' own, applied to every row before anything is saved, so that a
preview names every problem; the import then runs the services row by row in one transaction,
each record audited like one entered on its page.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from xuanwen.accounts.models import User
from xuanwen.accounts.permissions import can_write
from xuanwen.core import tree
from xuanwen.core.imports import Rejected

from . import services
from .models import Honour, Person, Team, TrainingClass
from .services import HonourData, PersonData, SessionData, TeamData, TrainingData


@dataclass
class TeamRow:
    """A team as a sheet gives it: the team, and its leader's and members' names."""

    data: TeamData
    leader: str = ""
    members: list[str] = field(default_factory=list)


def _label(row_numbers: Sequence[int] | None, i: int) -> int:
    return row_numbers[i] if row_numbers is not None else i + 1


def people_problems(
    *, user: User, rows: Sequence[PersonData], row_numbers: Sequence[int] | None = None
) -> dict[int, dict[str, str]]:
    """Rule errors of a batch of people, in a few queries whatever its size."""
    problems: dict[int, dict[str, str]] = {}
    names = {r.name.strip() for r in rows}
    codes = {r.unit.code for r in rows}
    existing = set(
        Person.objects.filter(unit_id__in=codes, name__in=names).values_list(
            "unit_id", "name", "birth_year"
        )
    )
    seen: dict[tuple[str, str, int | None], int] = {}
    for i, data in enumerate(rows):
        errors = services.person_check(data)
        if not can_write(user, data.unit.code):
            errors["unit"] = _("您不能为该单位登记。")
        key = (data.unit.code, data.name.strip(), data.birth_year)
        if key in existing:
            errors.setdefault("name", _("本单位已有同名、同出生年份的人员。"))
        elif key in seen:
            errors.setdefault(
                "name", _("与第 %(row)d 行重复。") % {"row": _label(row_numbers, seen[key])}
            )
        else:
            seen[key] = i
        if errors:
            problems[i] = errors
    return problems


def people_import(
    *, user: User, rows: Sequence[PersonData], row_numbers: Sequence[int] | None = None
) -> int:
    with transaction.atomic():
        problems = people_problems(user=user, rows=rows, row_numbers=row_numbers)
        if problems:
            raise Rejected(problems, row_numbers)
        for data in rows:
            services.person_create(user=user, data=data)
    return len(rows)


def teams_problems(
    *, user: User, rows: Sequence[TeamRow], row_numbers: Sequence[int] | None = None
) -> dict[int, dict[str, str]]:
    """Rule errors of a batch of teams: the team's rules, duplicates, and names that cannot
    be told apart (two people of that name below the team's unit)."""
    problems: dict[int, dict[str, str]] = {}
    codes = {r.data.unit.code for r in rows}
    existing = set(Team.objects.filter(unit_id__in=codes).values_list("unit_id", "name"))
    names = {n for r in rows for n in [r.leader, *r.members] if n}
    people = list(Person.objects.filter(name__in=names).values_list("unit_id", "name"))
    seen: dict[tuple[str, str], int] = {}
    for i, row in enumerate(rows):
        errors = services.team_check(row.data)
        if not can_write(user, row.data.unit.code):
            errors["unit"] = _("您不能为该单位登记。")
        key = (row.data.unit.code, row.data.name.strip())
        if key in existing:
            errors.setdefault("name", _("本单位已有同名的队伍。"))
        elif key in seen:
            errors.setdefault(
                "name", _("与第 %(row)d 行重复。") % {"row": _label(row_numbers, seen[key])}
            )
        else:
            seen[key] = i
        for column, wanted in (("leader", [row.leader]), ("members", row.members)):
            for name in (n for n in wanted if n):
                if _ambiguous(row.data.unit.code, name, people):
                    errors.setdefault(
                        column,
                        _("“%(name)s”在本单位及下级有多人同名，请在人员页区分后再导入。")
                        % {"name": name},
                    )
        if errors:
            problems[i] = errors
    return problems


def _ambiguous(unit: str, name: str, people: list[tuple[str, str]]) -> bool:
    # The same rule as services.people_by_names: someone of the unit itself is meant first.
    matches = [code for code, n in people if n == name and tree.in_subtree(code, unit)]
    return len(matches) > 1 and matches.count(unit) != 1


def teams_import(
    *, user: User, rows: Sequence[TeamRow], row_numbers: Sequence[int] | None = None
) -> int:
    with transaction.atomic():
        problems = teams_problems(user=user, rows=rows, row_numbers=row_numbers)
        if problems:
            raise Rejected(problems, row_numbers)
        for row in rows:
            unit = row.data.unit
            if row.leader:
                row.data.leader = services.people_by_names(
                    user=user, unit=unit, names=[row.leader]
                )[0]
            people = services.people_by_names(user=user, unit=unit, names=row.members)
            members = [services.MemberData(person=p) for p in people if p != row.data.leader]
            services.team_create(user=user, data=row.data, members=members)
    return len(rows)


# --- Training classes --------------------------------------------------------------------------


@dataclass
class TrainingRow:
    """A class as a sheet gives it: the class and its sessions (课次)."""

    data: TrainingData
    sessions: list[SessionData] = field(default_factory=list)


def _duplicates(
    keys: Sequence[Any],
    existing: set[Any],
    row_numbers: Sequence[int] | None,
    message: str,
) -> dict[int, str]:
    """Rows whose key is already in the database, or repeats an earlier row of the file."""
    out: dict[int, str] = {}
    seen: dict[Any, int] = {}
    for i, key in enumerate(keys):
        if key in existing:
            out[i] = message
        elif key in seen:
            out[i] = _("与第 %(row)d 行重复。") % {"row": _label(row_numbers, seen[key])}
        else:
            seen[key] = i
    return out


def training_problems(
    *, user: User, rows: Sequence[TrainingRow], row_numbers: Sequence[int] | None = None
) -> dict[int, dict[str, str]]:
    """Rule errors of a batch of classes (the services' rules, the right to write, a class of
    the same unit, title and start date already recorded or twice in the file)."""
    problems: dict[int, dict[str, str]] = {}
    keys = [(r.data.unit.code, r.data.title.strip(), r.data.start_date) for r in rows]
    existing = set(
        TrainingClass.objects.filter(
            unit_id__in={k[0] for k in keys}, title__in={k[1] for k in keys}
        ).values_list("unit_id", "title", "start_date")
    )
    repeated = _duplicates(keys, existing, row_numbers, _("本单位已有同名、同开始日期的培训班。"))
    for i, row in enumerate(rows):
        errors = services.training_check(row.data)
        if not can_write(user, row.data.unit.code):
            errors["unit"] = _("您不能为该单位登记。")
        for session in row.sessions:
            for key, message in services.session_check(row.data, session).items():
                # The sheet gives the sessions' dates in one column and their hours in another.
                column = "session_dates" if key == "date" else key
                errors.setdefault(column, f"{session.date.isoformat()}：{message}")
        if i in repeated:
            errors.setdefault("title", repeated[i])
        if errors:
            problems[i] = errors
    if rows:
        try:
            services.training_type()
        except ValidationError as exc:
            problems.setdefault(0, {})["type"] = "；".join(exc.messages)
    return problems


def training_import(
    *, user: User, rows: Sequence[TrainingRow], row_numbers: Sequence[int] | None = None
) -> int:
    """Each class through training_create, so each creates or links its 培训 activity."""
    with transaction.atomic():
        problems = training_problems(user=user, rows=rows, row_numbers=row_numbers)
        if problems:
            raise Rejected(problems, row_numbers)
        for row in rows:
            services.training_create(user=user, data=row.data, sessions=row.sessions)
    return len(rows)


# --- Honours -----------------------------------------------------------------------------------


def _honour_key(data: HonourData) -> tuple[Any, ...]:
    holder = data.person if data.holder_kind == "person" else data.team
    unit = holder.unit_id if holder is not None else data.unit.code
    return (unit, data.holder_kind, getattr(holder, "pk", None), data.name.strip(), data.year)


def honours_problems(
    *, user: User, rows: Sequence[HonourData], row_numbers: Sequence[int] | None = None
) -> dict[int, dict[str, str]]:
    """Rule errors of a batch of honours (the services' rules, the right to write, the same
    honour of the same holder and year already recorded or twice in the file)."""
    problems: dict[int, dict[str, str]] = {}
    keys = [_honour_key(data) for data in rows]
    existing = set(
        (unit, kind, person or team, name, year)
        for unit, kind, person, team, name, year in Honour.objects.filter(
            unit_id__in={k[0] for k in keys}, name__in={k[3] for k in keys}
        ).values_list("unit_id", "holder_kind", "person_id", "team_id", "name", "year")
    )
    repeated = _duplicates(keys, existing, row_numbers, _("已有同一获得者同年的同名荣誉。"))
    for i, data in enumerate(rows):
        errors = services.honour_check(user, data)
        if not can_write(user, keys[i][0]):
            errors["unit"] = _("您不能为该单位登记。")
        if i in repeated:
            errors.setdefault("name", repeated[i])
        if errors:
            problems[i] = errors
    return problems


def honours_import(
    *, user: User, rows: Sequence[HonourData], row_numbers: Sequence[int] | None = None
) -> int:
    with transaction.atomic():
        problems = honours_problems(user=user, rows=rows, row_numbers=row_numbers)
        if problems:
            raise Rejected(problems, row_numbers)
        for data in rows:
            services.honour_create(user=user, data=data)
    return len(rows)
