"""What the API's schemas of every record type repeat, written once.

An Out schema still declares each of its fields, in the order its JSON shows them; a base
here only says how the shared ones are read. A field that is another attribute's value is
declared with where ninja reads it, `type: int = Field(alias="type_id")` or `type_name: str =
Field(alias="type.name")` or a choice's label `Field(alias="get_level_display")` (ninja
follows the dots and calls a method; the JSON keeps the field's name), and a
related list (`coverage: list[CoverageOut]`) needs nothing, ninja reads a manager as its rows;
a `resolve_<field>` is left for a value that is worked out.

An In schema's integer is typed by the column it is kept in, so that a value no database holds
is a 422, never a 500: `Int` for an integer column (IntegerField, PositiveIntegerField),
`SmallInt` for a small one (a year), `Id` for an id the client names (a type, a facility, a
person). The sign a positive field asks is left to its service, which names it in its own words.
The bound is in the type, not in a `Field(...)`, so that it holds for a PATCH too (ninja's
PatchDict keeps only the annotations).

A dated register (a Catalogue of coded kinds, real-world start and end dates, 待补日期: the
facilities, culture households and designations) shares more: its Out schema opens with
`RegisterOut`'s fields, its kinds read answers `KindOut`, and its list query is
`dated_filter(...)`, the words of each filter being the register's own.
"""

from datetime import date
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import create_model

from xuanwen.core.bounds import RANGES

Id = Annotated[int, Field(ge=RANGES["BigAutoField"][0], le=RANGES["BigAutoField"][1])]
Int = Annotated[int, Field(ge=RANGES["IntegerField"][0], le=RANGES["IntegerField"][1])]
SmallInt = Annotated[
    int, Field(ge=RANGES["SmallIntegerField"][0], le=RANGES["SmallIntegerField"][1])
]


class UnitOut(Schema):
    """The base of an Out schema whose record has a unit: `unit` is its tree code and
    `unit_name` its name. A schema that shows them elsewhere than first (RecordOut) declares
    the two fields itself, where its JSON shows them; the reading is shared."""

    @staticmethod
    def resolve_unit(obj: Any) -> str:
        return str(obj.unit_id)

    @staticmethod
    def resolve_unit_name(obj: Any) -> str:
        return str(obj.unit.name)


class ScopeFilter(Schema):
    """A list's query: `unit` keeps the list to a unit of the scope and its subtree."""

    unit: str | None = Field(None, description="只看该单位及其下级（区划代码）")


class RecordOut(UnitOut):
    """The fields a record's Out schema opens with: its id and its unit (code and name). The
    record's own fields follow, declared by its schema in the order its JSON shows them."""

    id: int
    unit: str
    unit_name: str


class RegisterOut(RecordOut):
    """RecordOut and the register's kind (code and name; the client names a kind by its
    code), then the register's own fields."""

    kind: str = Field(alias="kind.code")
    kind_name: str = Field(alias="kind.name")


# A register's kind as its kinds read lists it; a kind with more to say (a facility kind's
# opening requirements) extends it. (A comment, not a docstring: the OpenAPI document would
# show a docstring as the schema's description.)
class KindOut(Schema):
    id: int
    code: str
    name: str


def dated_filter(
    *, kind: str, q: str, dated: str, as_of: str, undated: str, level: str | None = None
) -> type[ScopeFilter]:
    """A dated register's list query, read by its list page's filter set: `unit`, `kind` (by
    code), `level` (where the register has one), `q` (free text), `as_of` (standing on that
    day), `start`–`end` (the start date between them, the rule of the new counts) and
    `undated` (no start date yet, 待补日期). Each argument is that filter's description;
    `dated` names the start date ("建成日期") for `start` and `end`."""

    def optional(of: type, description: str) -> Any:
        return (of | None, Field(None, description=description))  # pydantic's (type, field)

    fields = {"kind": optional(str, kind)}
    if level is not None:
        fields["level"] = optional(str, level)
    fields |= {
        "q": optional(str, q),
        "as_of": optional(date, as_of),
        "start": optional(date, f"{dated}不早于该日"),
        "end": optional(date, f"{dated}不晚于该日"),
        "undated": optional(bool, undated),
    }
    return create_model("ListFilter", __base__=ScopeFilter, **fields)
