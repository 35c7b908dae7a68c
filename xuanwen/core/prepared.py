"""A model lookup compiled to SQL once per database, then run with new values.

Django compiles a queryset to SQL each time it runs. For the two reads every signed-in
request makes, the session and the user, compiling cost several times the query itself
(about 0.5 ms against 0.07 ms on the benchmark machine, see bench/pages.py), on every page.
`PreparedGet` compiles the lookup once, with stand-in values, through Django's own compiler,
and keeps the SQL and the column converters; each call then only runs the SQL and builds the
instance with `Model.from_db`, as the ORM would.

It never answers differently from the ORM: at compile time it checks that the stand-in
values appear in the compiled parameters in the order it will put the real ones, and if they
do not (a database whose compiler reorders or adds parameters) it uses the ORM instead.
"""

from typing import Any

from django.db import connections, router
from django.db.models import Model


class PreparedGet:
    """`model.objects.filter(lookup=value, ...).first()` without compiling it every time.

    The lookups are given with stand-in values of their types, in the order the values will
    be passed to `get`. Only plain filters on one model: no joins, no ordering.
    """

    def __init__(self, model: type[Model], **stand_ins: Any) -> None:
        self.model = model
        self.stand_ins = stand_ins
        self.fields = [self._field(lookup) for lookup in stand_ins]
        # alias -> (sql, converters, attnames), or None where the ORM must be used
        self._compiled: dict[str, tuple[str, Any, list[str]] | None] = {}

    def _field(self, lookup: str) -> Any:
        name = lookup.split("__", 1)[0]
        meta = self.model._meta
        return meta.pk if name == "pk" else meta.get_field(name)

    def _params(self, alias: str, values: Any) -> list[Any]:
        connection = connections[alias]
        return [
            field.get_db_prep_value(value, connection, prepared=False)
            for field, value in zip(self.fields, values, strict=True)
        ]

    def _compile(self, alias: str) -> tuple[str, Any, list[str]] | None:
        qs = self.model._default_manager.using(alias).all()
        for lookup, value in self.stand_ins.items():
            qs = qs.filter(**{lookup: value})
        compiler = qs.query.get_compiler(alias)
        sql, params = compiler.as_sql()
        if list(params) != self._params(alias, self.stand_ins.values()):
            return None
        columns = [column for column, _sql, _alias in compiler.select]
        converters = compiler.get_converters(columns)
        attnames = [field.attname for field in self.model._meta.concrete_fields]
        if len(columns) != len(attnames):  # deferred or extra columns: not a plain lookup
            return None
        return sql, converters, attnames

    def get(self, **values: Any) -> Any:
        """The one matching row as a model instance, or None."""
        if list(values) != list(self.stand_ins):
            raise TypeError(f"expected the lookups {list(self.stand_ins)}, got {list(values)}")
        alias = router.db_for_read(self.model)
        if alias not in self._compiled:
            self._compiled[alias] = self._compile(alias)
        compiled = self._compiled[alias]
        if compiled is None:
            return self.model._default_manager.using(alias).filter(**values).first()
        sql, converters, attnames = compiled
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, self._params(alias, values.values()))
            row = cursor.fetchone()
        if row is None:
            return None
        if converters:
            connection = connections[alias]
            row = list(row)
            for position, (field_converters, expression) in converters.items():
                value = row[position]
                for converter in field_converters:
                    value = converter(value, expression, connection)
                row[position] = value
        return self.model.from_db(alias, attnames, row)
