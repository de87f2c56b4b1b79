"""`field__any=values`: membership in a long list of values, without Django's per-item work.

`filter(pk__in=ids)` walks the list three times in Python before it is sent: each item through
`resolve_lookup_value`, through the field's `get_prep_value`, and through
`batch_process_rhs`. For the imports' id lists (thousands of ids, hundreds of queries) that was a
third of the subjects matching's CPU time. `__any` sends the values as they are:

- PostgreSQL: `column = ANY(%s::type[])` with the whole list as one array parameter, typed as
  the column (see `_array_type`);
- SQLite: `column IN (%s, %s, …)`, one placeholder per value (what `__in` sends, without the
  preparation).

Same rows as `__in` for values already of the column's Python type (ints for ids and foreign
keys: the ids, never model instances; str for text columns); `None` never matches (as with `__in`); an empty list matches
nothing without a query. Pass a set, frozenset or any iterable that is not a list or tuple to
skip Django's own walk of a list as well (`filter()` resolves list and tuple items one by one).
Registered on every field by the core app (`CoreConfig.ready`).
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db.models import Field, ForeignObject, Lookup


class Any(Lookup):
    lookup_name = "any"
    prepare_rhs = False  # the values are sent as they are

    def get_prep_lookup(self):
        values = self.rhs
        if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
            raise TypeError("__any takes an iterable of values")
        return values if isinstance(values, list) else list(values)

    def as_sql(self, compiler, connection):
        values = self.rhs
        if not values:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s::{_array_type(self.lhs.output_field, connection)})", [*lhs_params, values]
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*lhs_params, *values]


def _array_type(field, connection) -> str:
    """The array type of the column: the driver would type a list of small ints as smallint[],
    and PostgreSQL only hashes `= ANY` when both sides have the same type (a bigint id against
    a smallint[] of 500 ids is 500 comparisons a row: 50 times slower than the hashed lookup).
    Text columns take text[] (a varchar(n)[] cast would cut longer values)."""
    db_type = field.db_type(connection) or ""
    if db_type in ("bigint", "integer", "smallint"):
        return db_type + "[]"
    if db_type.startswith("varchar") or db_type == "text":
        return "text[]"
    return db_type + "[]"


def register() -> None:
    Field.register_lookup(Any)
    # a foreign key's lookups stop at ForeignObject in its class hierarchy (its own `__in`)
    ForeignObject.register_lookup(Any)
