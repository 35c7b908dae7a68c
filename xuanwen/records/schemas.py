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
"""

from typing import Annotated, Any

from ninja import Field, Schema

from xuanwen.core.bounds import RANGES

Id = Annotated[int, Field(ge=RANGES["BigAutoField"][0], le=RANGES["BigAutoField"][1])]
Int = Annotated[int, Field(ge=RANGES["IntegerField"][0], le=RANGES["IntegerField"][1])]
SmallInt = Annotated[
    int, Field(ge=RANGES["SmallIntegerField"][0], le=RANGES["SmallIntegerField"][1])
]


class UnitOut(Schema):
    """The base of an Out schema whose record has a unit: `unit` is its tree code and
    `unit_name` its name. The schema declares the two fields itself, where its JSON shows
    them; only the reading is shared."""

    @staticmethod
    def resolve_unit(obj: Any) -> str:
        return str(obj.unit_id)

    @staticmethod
    def resolve_unit_name(obj: Any) -> str:
        return str(obj.unit.name)


class ScopeFilter(Schema):
    """A list's query: `unit` keeps the list to a unit of the scope and its subtree."""

    unit: str | None = Field(None, description="只看该单位及其下级（区划代码）")
