"""Clusters from pairs, and cluster ids that stay stable across runs (pure functions)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable


class Clusters:
    """Union-find over record ids with cannot-link constraints: a pair a reviewer said "no" to is
    never joined, neither directly nor through other records."""

    def __init__(self, ids: Iterable[int], apart: Iterable[tuple[int, int]] = ()):
        self.parent = {i: i for i in ids}
        self.apart: dict[int, set[int]] = {}
        for a, b in apart:
            if a in self.parent and b in self.parent:
                self.apart.setdefault(a, set()).add(b)
                self.apart.setdefault(b, set()).add(a)
        # constraints held by each root: the records its cluster must stay apart from
        self.blocked = {root: set(others) for root, others in self.apart.items()}

    def find(self, i: int) -> int:
        parent = self.parent
        root = i
        while parent[root] != root:
            root = parent[root]
        while parent[i] != root:
            parent[i], i = root, parent[i]
        return root

    def join(self, a: int, b: int) -> bool:
        """Join the clusters of a and b unless a constraint forbids it; True when joined."""
        if a not in self.parent or b not in self.parent:
            return False
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        ba, bb = self.blocked.get(ra, set()), self.blocked.get(rb, set())
        if any(self.find(x) == rb for x in ba) or any(self.find(x) == ra for x in bb):
            return False
        if len(ba) < len(bb):
            ra, rb = rb, ra
            ba, bb = bb, ba
        self.parent[rb] = ra
        if bb:
            self.blocked[ra] = ba | bb
            self.blocked.pop(rb, None)
        return True

    def groups(self) -> list[list[int]]:
        out: dict[int, list[int]] = {}
        for i in self.parent:
            out.setdefault(self.find(i), []).append(i)
        return list(out.values())


def stable_ids(groups: list[list[int]], previous: dict[int, int | None]) -> tuple[list[int | None], int]:
    """For each group, the id of the existing entity it continues, or None for a new one.

    A group keeps the entity that most of its records had (ties: the oldest id); when two groups
    claim one entity (a split), the larger keeps it and the other gets a new one. Returns the ids
    and how many groups need a new entity."""
    order = sorted(range(len(groups)), key=lambda g: (-len(groups[g]), min(groups[g])))
    taken: set[int] = set()
    result: list[int | None] = [None] * len(groups)
    new = 0
    for g in order:
        counts = Counter(previous.get(i) for i in groups[g])
        counts.pop(None, None)
        choice = None
        for entity, _n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            if entity not in taken:
                choice = entity
                break
        if choice is None:
            new += 1
        else:
            taken.add(choice)
        result[g] = choice
    return result, new
