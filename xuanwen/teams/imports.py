"""Importing many people or teams at once (the Excel import): all or nothing.

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

from xuanwen.accounts.permissions import can_write
from xuanwen.core import tree

from . import services
from .models import Person, Team
from .services import PersonData, TeamData


@dataclass
class TeamRow:
    """A team as a sheet gives it: the team, and its leader's and members' names."""

    data: TeamData
    leader: str = ""
    members: list[str] = field(default_factory=list)


class ImportRejected(ValidationError):
    """The batch broke a rule; `problems` are {row index: {field: message}}."""

    def __init__(self, problems: dict[int, dict[str, str]]) -> None:
        super().__init__([m for errors in problems.values() for m in errors.values()])
        self.problems = problems


def _label(row_numbers: Sequence[int] | None, i: int) -> int:
    return row_numbers[i] if row_numbers is not None else i + 1


def people_problems(
    *, user: Any, rows: Sequence[PersonData], row_numbers: Sequence[int] | None = None
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
    *, user: Any, rows: Sequence[PersonData], row_numbers: Sequence[int] | None = None
) -> int:
    with transaction.atomic():
        problems = people_problems(user=user, rows=rows, row_numbers=row_numbers)
        if problems:
            raise ImportRejected(problems)
        for data in rows:
            services.person_create(user=user, data=data)
    return len(rows)


def teams_problems(
    *, user: Any, rows: Sequence[TeamRow], row_numbers: Sequence[int] | None = None
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
    *, user: Any, rows: Sequence[TeamRow], row_numbers: Sequence[int] | None = None
) -> int:
    with transaction.atomic():
        problems = teams_problems(user=user, rows=rows, row_numbers=row_numbers)
        if problems:
            raise ImportRejected(problems)
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
