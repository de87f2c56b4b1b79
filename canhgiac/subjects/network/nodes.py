"""What a node of the network is. Today a node is one agency's record (`Subject`); when entity
resolution lands, the integrator changes these two functions so a node is a resolved entity (all
the records of one cluster) and the graph, the layout and the ranking follow unchanged.

Visibility stays per record: a node is shown by name when the viewer may see at least one of its
records, and only those records' details are used for its label.
"""

from __future__ import annotations


def node_keys(record_ids) -> dict[int, str]:
    """record id → node key."""
    return {pk: f"s:{pk}" for pk in record_ids}


def node_records(keys) -> dict[str, set[int]]:
    """node key → the ids of its records (every record, visible or not: the caller filters)."""
    return {key: {int(key[2:])} for key in keys if key.startswith("s:")}
