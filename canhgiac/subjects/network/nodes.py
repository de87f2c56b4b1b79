"""What a node of the network is: a resolved entity (issue 12), all the records of one cluster
folded into one node ("e:<entity id>"); a record not resolved yet (no entity) is a node of its own
("s:<record id>"). The graph, the layout and the ranking work on node keys and follow unchanged.

Visibility stays per record: a node is shown by name when the viewer may see at least one of its
records, and only those records' details are used for its label. `node_records` gives every record
of a node, visible or not: callers filter through the policy before they show or follow one.
"""

from __future__ import annotations


def key(record_id: int, entity_id: int | None) -> str:
    """The node key of a record whose entity is known (from a query the caller makes anyway)."""
    return f"e:{entity_id}" if entity_id is not None else f"s:{record_id}"


def _rows(column: str, values: list[int]):
    """(id, entity id) of the records whose `column` ("id" or "entity_id") is in `values`: one
    array parameter (`core.lookups.Any`), whatever the number of values."""
    from canhgiac.subjects.models import Subject

    field = "pk" if column == "id" else column
    return list(
        Subject.objects.filter(**{f"{field}__any": set(values)}).order_by().values_list("pk", "entity_id")
    )


def node_keys(record_ids) -> dict[int, str]:
    """record id → node key (one query)."""
    ids = [int(i) for i in record_ids]
    if not ids:
        return {}
    out = {}
    for pk, entity in _rows("id", ids):
        out[pk] = key(pk, entity)
    # a record id that no longer exists is still its own node (the caller drops it)
    for pk in ids:
        out.setdefault(pk, f"s:{pk}")
    return out


def node_records(keys) -> dict[str, set[int]]:
    """node key → the ids of its records (every record, visible or not: the caller filters).
    One query for all the entity keys."""
    out: dict[str, set[int]] = {}
    entities = []
    for key in keys:
        if key.startswith("s:"):
            out[key] = {int(key[2:])}
        elif key.startswith("e:"):
            entities.append(int(key[2:]))
            out[key] = set()
    if entities:
        for pk, entity in _rows("entity_id", entities):
            out[f"e:{entity}"].add(pk)
    return out
