"""What an integer a client sends may be, so that no value reaches a database that cannot hold
it (a 500): the range both SQLite and PostgreSQL hold for each kind of integer column, and
the API's pages of a list with a bounded page number.

SQLite stores any integer up to 2^63 - 1 and PostgreSQL's `integer` only up to 2^31 - 1, so a
field is bounded by Django's ranges per column type (the PostgreSQL ones), the same on both.
The bound is the column's storage: a positive field's sign is a rule its service answers in its
own words ("观众人数不能为负数。"), so a negative value still reaches it.
"""

from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

# Django's ranges per integer column type; SQLite and PostgreSQL keep them as they are.
RANGES: dict[str, tuple[int, int]] = BaseDatabaseOperations.integer_field_ranges


def held_range(model: type[models.Model], name: str) -> tuple[int, int]:
    """The smallest and largest value `model.name`'s column holds on both databases (a foreign
    key: its target's key; a positive field: its column's, the sign left to the rules)."""
    field = model._meta.get_field(name)
    if isinstance(field, models.ForeignKey):
        field = field.target_field
    return RANGES[field.get_internal_type().removeprefix("Positive")]


class Pages(PageNumberPagination):
    """ninja's numbered pages, with a page number whose rows' offset a database can take:
    `?page=9223372036854775807` is a 422 naming the largest page, not an overflow."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=RANGES["IntegerField"][1])
        page_size: int | None = Field(None, ge=1)  # ninja caps it at the largest page size
