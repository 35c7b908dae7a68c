"""Making a register's records straight in the database, for the setup of tests (what is under
test goes through the services)."""

from typing import Any, TypeVar

from django.db.models import Model

from xuanwen.core.text import pinyin_of

M = TypeVar("M", bound=Model)


def searchable(text: str) -> str:
    """The `search_pinyin` the services store for `text`: its full pinyin and its initials."""
    full, initials = pinyin_of(text)
    return f"{full} {initials}"


def make_record(model: type[M], unit_code: str, kind_code: str, *, search: str, **fields: Any) -> M:
    """A record of a register with a coded vocabulary: in the unit `unit_code`, of the kind
    `kind_code`, searched by `search`; `fields` set the rest (and may override these)."""
    kinds = model._meta.get_field("kind").related_model
    assert isinstance(kinds, type)
    values: dict[str, Any] = {
        "unit_id": unit_code,
        "kind": kinds._default_manager.get(code=kind_code),
        "search_pinyin": searchable(search),
        **fields,
    }
    return model._default_manager.create(**values)
