"""`field__any=values`: membership in a long list of values, without Django's per-item work.

`filter(pk__in=ids)` walks the list three times in Python before it is sent: each item through
`resolve_lookup_value`, through the field's `get_prep_value`, and through `batch_process_rhs`; then
psycopg adapts thousands of parameters one by one. For the imports' id lists and the 5,000 nodes of
a subject's network that was tenths of a second of CPU per call. `__any` sends the values as
they are:

- integer columns (ids, foreign keys): each value made an `int` here (so nothing else can enter
  the SQL text), then on PostgreSQL one array parameter in its text form, made in one join and cast
  to the column's own type (`= ANY(%s::bigint[])`: PostgreSQL only hashes `= ANY` when both sides
  have the same type; an `int4[]` against a bigint column compares every row with every id), and
  on SQLite the integers written into the SQL (no limit on the number of variables);
- other columns: PostgreSQL `= ANY(%s::text[])` (a varchar(n)[] cast would cut longer values),
  SQLite `IN (%s, …)` with one placeholder per value.

Same rows as `__in` for values of the column's Python type (never model instances); `None`
never matches (as with `__in`); an empty list matches nothing without a query. Pass a set,
frozenset or any iterable other than a list or a tuple to skip Django's own walk of a list as well
(`filter()` resolves list and tuple items one by one for expressions). Registered on every field
by the core app (`CoreConfig.ready`).
"""

from __future__ import annotations

from django.core.exceptions import EmptyResultSet
from django.db.models import Field, ForeignObject, Lookup

_INTEGER_TYPES = {
    "bigint": "bigint",
    "integer": "integer",
    "smallint": "smallint",
    "bigserial": "bigint",
    "serial": "integer",
    "smallserial": "smallint",
}


class Any(Lookup):
    lookup_name = "any"
    prepare_rhs = False  # the values are sent as they are

    def get_prep_lookup(self):
        values = self.rhs
        if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
            raise TypeError("__any takes an iterable of values")
        return [v for v in values if v is not None]

    def as_sql(self, compiler, connection):
        values = self.rhs
        if not values:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        db_type = (self.lhs.output_field.db_type(connection) or "").split("(")[0].strip().lower()
        integer = _INTEGER_TYPES.get(db_type)
        if integer:
            text = ",".join(map(str, sorted({int(v) for v in values})))
            if connection.vendor == "postgresql":
                return f"{lhs} = ANY(%s::{integer}[])", [*lhs_params, "{" + text + "}"]
            return f"{lhs} IN ({text})", list(lhs_params)
        if connection.vendor == "postgresql":
            array = "text[]" if db_type in ("varchar", "text", "") else db_type + "[]"
            return f"{lhs} = ANY(%s::{array})", [*lhs_params, list(values)]
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*lhs_params, *values]


def register() -> None:
    Field.register_lookup(Any)
    # a foreign key's lookups stop at ForeignObject in its class hierarchy (its own `__in`)
    ForeignObject.register_lookup(Any)
