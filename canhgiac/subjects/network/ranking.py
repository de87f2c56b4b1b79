"""Who to look at: the ranked list "cần chú ý" (issue 12, item 5).

The network is the viewer's: the cases they may see, detected in the period, with their subjects
(and the relations they may see between subjects). Each subject gets points for reasons, each shown
in Vietnamese with its figure:

- organiser roles (người tổ chức, cầm đầu; the seeds' "chủ mưu, cầm đầu"): 4 points per case, up to 5;
- repeat offences: 1.5 per case after the first (up to 10), 2 per further lead agency that caught
  them, 1 per further commune;
- goods of a high-risk category (directory.GoodsCategory.high_risk): 1.5 per case, up to 5;
- centrality in the case–subject network: PageRank in the top 5 % of the subjects (2 points; top
  1 %: 3) and betweenness (sampled from at most `BETWEENNESS_SAMPLES` sources, Brandes–Pich) in the
  top 5 % (2 points): the subject joins groups that would otherwise be apart;
- records of other agencies the viewer may not see, by the sharing rule: only which agency holds
  a record of the same entity or identifier (1 point per agency, up to 3), never what it holds;
- links to online accounts with flagged listings (`online_listings`, through the online app's
  services): 1 point per flagged listing the viewer may see, plus 1, up to 4 — a listing of an
  account the online app linked to the subject, or of an account the subject is, or owns (a
  relation the viewer may see), matched on "platform:handle";
- reasons from other apps through `register_signal`.

Filters: the period builds the network; commune and goods keep the subjects with at least one
case in that commune / with goods of that category (their figures still count every case of
the period, since repeat offending across communes is the point).
"""

from __future__ import annotations

import random
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy

from canhgiac.core import policy
from canhgiac.subjects.network import nodes as node_map

BETWEENNESS_SAMPLES = 64
MIN_SCORE = 3.0
_signals: list[Callable] = []
ORGANISER = gettext_lazy("Vai trò người tổ chức, cầm đầu trong %(n)s vụ")
REPEAT = gettext_lazy("Vi phạm nhiều lần: %(n)s vụ trong kỳ")
AGENCIES = gettext_lazy("Bị %(n)s cơ quan khác nhau phát hiện")
COMMUNES = gettext_lazy("Vi phạm tại %(n)s xã, phường")
HIGH_RISK = gettext_lazy("Hàng hóa thuộc nhóm rủi ro cao trong %(n)s vụ")
PAGERANK = gettext_lazy(
    "Ở vị trí trung tâm của mạng lưới vụ việc – đối tượng (PageRank thuộc nhóm %(share)s cao nhất)"
)
BETWEENNESS = gettext_lazy("Là cầu nối giữa các nhóm đối tượng (độ trung gian thuộc nhóm 5 % cao nhất)")
ONLINE = gettext_lazy("Liên kết với tài khoản trực tuyến có %(n)s tin đăng bị gắn cờ")
ELSEWHERE = gettext_lazy(
    "Cơ quan khác (%(agencies)s) cũng có hồ sơ về đối tượng này mà bạn không được xem; liên hệ để phối hợp"
)


def register_signal(fn: Callable) -> None:
    """fn(user, records: dict[node key, set[record id]], date_from, date_to) -> {node key: [Reason]}.
    Called for the subjects of the network; an app adds its reasons (and points) this way."""
    if fn not in _signals:
        _signals.append(fn)


@dataclass
class Reason:
    code: str
    text: str
    points: float


def online_listings(user, records, date_from, date_to) -> dict[str, list[Reason]]:
    """The online reason: for each node of `records` (node key → its records in the viewer's
    network), the flagged listings the viewer may see of the online accounts it is linked to. Two
    queries when no listing is flagged; the listings are read once, whatever the network's size."""
    from django.db.models import Q

    from canhgiac.online import services as online
    from canhgiac.subjects.models import LinkKey, Relation
    from canhgiac.subjects.network.keys import online_key

    rows = online.flagged_listings_by_seller(user, date_from=date_from, date_to=date_to)
    if not rows:
        return {}
    listings_of: dict[int, set[int]] = {}  # record → flagged listing ids
    by_key: dict[str, set[int]] = {}
    for row in rows:
        if row["subject"]:
            listings_of.setdefault(row["subject"], set()).add(row["listing"])
        for platform in {row["platform_code"], row["platform_name"]}:
            key = online_key(platform, row["handle"]) if row["handle"] else ""
            if key:
                by_key.setdefault(key, set()).add(row["listing"])
    if by_key:
        accounts: dict[int, set[int]] = {}
        kinds: dict[int, str] = {}
        for record, value, kind in LinkKey.objects.filter(
            kind=LinkKey.Kind.ONLINE, value__in=sorted(by_key)
        ).values_list("subject_id", "value", "subject__kind"):
            accounts.setdefault(record, set()).update(by_key[value])
            kinds[record] = kind
        for record, found in accounts.items():
            listings_of.setdefault(record, set()).update(found)
        # the owners of account records, by a relation the viewer may see
        account_records = [r for r, kind in kinds.items() if kind == "online_account"]
        if account_records:
            for a, b in (
                policy.visible_to(
                    user,
                    Relation.objects.filter(
                        Q(subject_id__in=account_records) | Q(other_id__in=account_records)
                    ),
                )
                .order_by()
                .values_list("subject_id", "other_id")
            ):
                if a in accounts and kinds.get(a) == "online_account":
                    listings_of.setdefault(b, set()).update(accounts[a])
                if b in accounts and kinds.get(b) == "online_account":
                    listings_of.setdefault(a, set()).update(accounts[b])
    out: dict[str, list[Reason]] = {}
    for node, members in records.items():
        found = set().union(*(listings_of.get(r, set()) for r in members))
        if found:
            out[node] = [Reason("online", str(ONLINE) % {"n": len(found)}, min(len(found) + 1, 4))]
    return out


@dataclass
class Entry:
    key: str
    record_id: int
    name: str
    kind: str
    agency: str
    score: float = 0.0
    reasons: list[Reason] = field(default_factory=list)

    pending: list = field(default_factory=list)

    def add(self, code, text, points, params=None):
        """A reason; `text` is formatted with `params` only when the entry is shown (thousands of
        subjects are scored, a hundred are listed)."""
        if points > 0:
            self.pending.append((code, text, params, round(points, 1)))
            self.score += points

    def finish(self):
        for code, text, params, points in self.pending:
            self.reasons.append(Reason(code, str(text) % params if params else str(text), points))
        self.pending = []


def _pagerank(n: int, src, dst, damping=0.85, tol=1e-9, max_iter=100):
    """PageRank of an undirected graph by power iteration on numpy arrays (the same figures as
    igraph's, to 1e-12, several times faster on this machine)."""
    import numpy as np

    deg = np.bincount(src, minlength=n) + np.bincount(dst, minlength=n)
    pr = np.full(n, 1.0 / n)
    safe = np.maximum(deg, 1)
    dangling = deg == 0
    for _step in range(max_iter):
        share = pr / safe
        new = np.bincount(dst, weights=share[src], minlength=n) + np.bincount(
            src, weights=share[dst], minlength=n
        )
        new = (1 - damping) / n + damping * (new + pr[dangling].sum() / n)
        done = np.abs(new - pr).sum() < tol
        pr = new
        if done:
            break
    return pr


def _centrality(n_nodes: int, n_cases: int, node_case, relation_pairs):
    """PageRank and sampled betweenness of the subject nodes 0…n_nodes-1 in the case–subject
    network (cases are nodes n_nodes…; `node_case` the unique (node, case index) pairs,
    `relation_pairs` (node, node) arrays). Returns two arrays over the subject nodes.

    Betweenness is computed on the network's core (nodes with two links or more: a subject seen in
    a single case, or a case with a single subject, bridges nothing) from at most
    `BETWEENNESS_SAMPLES` sources drawn with a fixed seed (Brandes–Pich sampling), so the list is
    the same for the same data; only its top 5 % is used, as a reason."""
    import igraph
    import numpy as np

    n = n_nodes + n_cases
    src = np.concatenate([node_case[:, 0], relation_pairs[:, 0]])
    dst = np.concatenate([node_case[:, 1] + n_nodes, relation_pairs[:, 1]])
    pagerank = _pagerank(n, src, dst)
    degree = np.bincount(src, minlength=n) + np.bincount(dst, minlength=n)
    core = np.flatnonzero(degree >= 2)
    between = np.zeros(n)
    if len(core) > 2:
        position = np.full(n, -1)
        position[core] = np.arange(len(core))
        keep = (position[src] >= 0) & (position[dst] >= 0)
        # the edge array as it is (through a list of 44,000 Python pairs it cost 0.08 s of CPU)
        sub = igraph.Graph(n=len(core), edges=np.column_stack([position[src[keep]], position[dst[keep]]]))
        if len(core) > BETWEENNESS_SAMPLES:
            sources = random.Random(389).sample(range(len(core)), BETWEENNESS_SAMPLES)
            raw = sub.betweenness(sources=sources, targets=None, directed=False)
        else:
            raw = sub.betweenness(directed=False)
        between[core] = raw
    return pagerank[:n_nodes], between[:n_nodes]


def _top(values, share: float):
    """A boolean array: the values in the top `share` of all (and above zero)."""
    import numpy as np

    positive = np.sort(values[values > 0])[::-1]
    if not len(positive):
        return np.zeros(len(values), dtype=bool)
    cut = positive[min(len(positive) - 1, max(0, int(len(values) * share) - 1))]
    return (values >= cut) & (values > 0)


# Centrality flags of the networks computed lately, by the network's content (see central_nodes).
CENTRALITY_CACHE_SIZE = 32
_central_cache: OrderedDict[bytes, tuple] = OrderedDict()
_central_lock = threading.Lock()


def central_nodes(n_nodes: int, n_cases: int, node_case, relation_pairs):
    """Three boolean arrays over the subject nodes: PageRank in the top 5 %, in the top 1 %, and
    betweenness in the top 5 % of the case–subject network (`_centrality`, `_top`).

    They are a function of the network alone, so they are kept (in this process, for the last
    `CENTRALITY_CACHE_SIZE` networks) under a digest of the network itself: the node and case
    counts and every (node, case) and relation pair. A cached answer is the answer a fresh
    computation gives, and any change of the network — a case, a link, a relation, a record
    joined to an entity, another viewer's or period's network — is another digest, computed
    afresh: nothing to invalidate, nothing stale. Node numbers are the sorted node keys' ranks, so
    the same network read again gets the same digest."""
    import hashlib

    import numpy as np

    # one order for the relation pairs (links are undirected; two relations of one pair stay two)
    pairs = np.sort(np.asarray(relation_pairs, dtype=np.int64).reshape(-1, 2), axis=1)
    pairs = pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]
    digest = hashlib.blake2b(digest_size=20)
    digest.update(np.array([n_nodes, n_cases, BETWEENNESS_SAMPLES], dtype=np.int64).tobytes())
    digest.update(np.ascontiguousarray(node_case, dtype=np.int64).tobytes())
    digest.update(b"|")
    digest.update(np.ascontiguousarray(pairs, dtype=np.int64).tobytes())
    key = digest.digest()
    with _central_lock:
        packed = _central_cache.get(key)
        if packed is not None:
            _central_cache.move_to_end(key)
    if packed is None:
        pagerank, between = _centrality(n_nodes, n_cases, node_case, pairs)
        flags = (_top(pagerank, 0.05), _top(pagerank, 0.01), _top(between, 0.05))
        packed = tuple(np.packbits(f) for f in flags)
        with _central_lock:
            _central_cache[key] = packed
            while len(_central_cache) > CENTRALITY_CACHE_SIZE:
                _central_cache.popitem(last=False)
    return tuple(np.unpackbits(p, count=n_nodes).astype(bool) for p in packed)


def elsewhere_agencies(user, record_ids) -> dict[int, list]:
    """For each record, the agencies holding a record of the same kind and identifier that `user`
    may not see (the sharing rule: which agency, nothing more). Two queries."""
    from canhgiac.directory.models import Agency
    from canhgiac.subjects.models import Subject

    mine = list(
        Subject.objects.filter(pk__any=record_ids)
        .order_by()
        .exclude(identifier="")
        .values_list("pk", "kind", "identifier")
    )
    if not mine:
        return {}
    others = Subject.objects.filter(identifier__in={i for _p, _k, i in mine}).exclude(pk__any=record_ids)
    visible = policy.visible_to(user, others).values("pk")
    hidden = list(
        others.exclude(pk__in=visible)
        .exclude(recorded_by_agency=None)
        .values_list("kind", "identifier", "recorded_by_agency_id")
    )
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in={a for _k, _i, a in hidden})}
    out: dict[int, list] = {}
    for pk, kind, ident in mine:
        found = sorted({a for k, i, a in hidden if k == kind and i == ident}, key=lambda a: agencies[a].code)
        if found:
            out[pk] = [agencies[a] for a in found]
    return out


def _distinct_per_node(n_nodes, node, values):
    """How many distinct `values` each node has (both int arrays of the same length)."""
    import numpy as np

    if not len(node):
        return np.zeros(n_nodes, dtype=np.int64)
    width = int(values.max()) + 1
    pairs = np.unique(node.astype(np.int64) * width + values)
    return np.bincount(pairs // width, minlength=n_nodes)


def attention(user, *, date_from=None, date_to=None, unit_code=None, goods=None, limit=100) -> list[Entry]:
    """The subjects of the viewer's network worth a look, highest score first (see the module).
    Figures are computed for every subject at once on arrays; reasons are written only for the
    subjects listed."""
    import numpy as np

    from canhgiac.cases import services as cases
    from canhgiac.subjects.models import Relation, Subject

    facts = cases.subject_links
    rows = facts.network_rows(user, date_from=date_from, date_to=date_to)
    if not rows:
        return []
    table = np.array(
        [(c, s, 1 if r in facts.ORGANISER_ROLES else 0, a, u) for c, s, r, a, u in rows], dtype=np.int64
    )
    case_ids, records, organiser, agency_ids, unit_ids = table.T
    unique_records, record_inv = np.unique(records, return_inverse=True)
    key_of = node_map.node_keys(unique_records.tolist())
    keys = sorted(set(key_of.values()))
    index = {key: i for i, key in enumerate(keys)}
    n_nodes = len(keys)
    node = np.array([index[key_of[r]] for r in unique_records.tolist()], dtype=np.int64)[record_inv]
    unique_cases, case_inv = np.unique(case_ids, return_inverse=True)
    risky_cases = np.array(
        sorted(facts.high_risk_case_ids(user, date_from=date_from, date_to=date_to)), dtype=np.int64
    )
    risky = np.isin(case_ids, risky_cases)
    match = np.ones(n_nodes, dtype=bool)
    if unit_code or goods:
        wanted = facts.matching_case_ids(
            user, date_from=date_from, date_to=date_to, unit_code=unit_code, goods=goods
        )
        hit = np.isin(case_ids, np.array(sorted(wanted), dtype=np.int64))
        match = np.bincount(node[hit], minlength=n_nodes) > 0

    n_cases = _distinct_per_node(n_nodes, node, case_inv)
    n_org = _distinct_per_node(n_nodes, node[organiser == 1], case_inv[organiser == 1])
    n_agencies = _distinct_per_node(n_nodes, node, agency_ids)
    n_units = _distinct_per_node(n_nodes, node, unit_ids)
    n_risky = _distinct_per_node(n_nodes, node[risky], case_inv[risky])

    # Every relation the viewer may see, kept to the network in Python: an IN list of every subject
    # of the province would cost more to send than the relations themselves.
    relations = (
        policy.visible_to(user, Relation.objects.all()).order_by().values_list("subject_id", "other_id")
    )
    rel_keys = node_map.node_keys({r for pair in relations for r in pair})
    rel_pairs = [
        (index[rel_keys[a]], index[rel_keys[b]])
        for a, b in relations
        if rel_keys[a] in index and rel_keys[b] in index and rel_keys[a] != rel_keys[b]
    ]
    node_case = np.unique(np.column_stack([node, case_inv]), axis=0)
    top_pr, top_pr1, top_bt = central_nodes(
        n_nodes, len(unique_cases), node_case, np.array(rel_pairs, dtype=np.int64).reshape(-1, 2)
    )

    score = (
        4 * np.minimum(n_org, 5)
        + 1.5 * np.minimum(n_cases - 1, 10)
        + 2 * (n_agencies - 1)
        + (n_units - 1)
        + 1.5 * np.minimum(n_risky, 5)
        + np.where(top_pr1, 3, np.where(top_pr, 2, 0))
        + np.where(top_bt, 2, 0)
    ).astype(float)
    extra: dict[int, list[Reason]] = {}
    signals = [online_listings, *_signals]
    if signals:
        # a signal sees only the records of the viewer's network (all visible to them), never an
        # entity's other records the viewer may not see
        # (the inverse of the node keys already read: no query)
        wanted = {keys[i] for i in np.flatnonzero(match).tolist()}
        members: dict[str, set[int]] = {}
        for record, key in key_of.items():
            if key in wanted:
                members.setdefault(key, set()).add(record)
        for fn in signals:
            for key, reasons in (fn(user, members, date_from, date_to) or {}).items():
                if key in index:
                    extra.setdefault(index[key], []).extend(reasons)
                    score[index[key]] += sum(r.points for r in reasons)
    score[~match] = -1

    def entry(i: int) -> Entry:
        e = Entry(key=keys[i], record_id=0, name="", kind="", agency="")
        e.add("organiser", ORGANISER, 4 * min(int(n_org[i]), 5), {"n": int(n_org[i])})
        e.add("repeat", REPEAT, 1.5 * min(int(n_cases[i]) - 1, 10), {"n": int(n_cases[i])})
        e.add("agencies", AGENCIES, 2 * (int(n_agencies[i]) - 1), {"n": int(n_agencies[i])})
        e.add("communes", COMMUNES, int(n_units[i]) - 1, {"n": int(n_units[i])})
        e.add("high_risk", HIGH_RISK, 1.5 * min(int(n_risky[i]), 5), {"n": int(n_risky[i])})
        if top_pr[i]:
            e.add("pagerank", PAGERANK, 3 if top_pr1[i] else 2, {"share": "1 %" if top_pr1[i] else "5 %"})
        if top_bt[i]:
            e.add("betweenness", BETWEENNESS, 2)
        for reason in extra.get(i, ()):
            e.add(reason.code, reason.text, reason.points)
        return e

    # Elsewhere (the sharing rule) only for those already near the top: it adds at most 3 points.
    order = np.lexsort((np.arange(n_nodes), -score))
    candidates = [entry(int(i)) for i in order[: max(limit * 3, 300)] if score[i] > 0]
    # A node is an entity: its records outside the viewer's network may be hidden from them. Only
    # the visible ones are named or looked up; the hidden ones give their agency, nothing more.
    from canhgiac.directory.models import Agency

    all_members = node_map.node_records([e.key for e in candidates])
    in_network = set(unique_records.tolist())
    outside = {r for rs in all_members.values() for r in rs} - in_network
    seen_outside = set(
        policy.visible_to(user, Subject.objects.filter(pk__any=outside).order_by()).values_list(
            "pk", flat=True
        )
    )
    hidden_agency = dict(
        Subject.objects.filter(pk__any=outside - seen_outside)
        .order_by()
        .exclude(recorded_by_agency=None)
        .values_list("pk", "recorded_by_agency_id")
    )
    hidden = outside - seen_outside
    members = {key: rs - hidden for key, rs in all_members.items()}
    sibling_agencies = {a.pk: a for a in Agency.objects.filter(pk__in=sorted(set(hidden_agency.values())))}
    holders = elsewhere_agencies(user, {r for rs in members.values() for r in rs})
    for e in candidates:
        agencies = {a.pk: a for r in members.get(e.key, ()) for a in holders.get(r, [])}
        for r in all_members.get(e.key, ()) & hidden_agency.keys():
            agencies[hidden_agency[r]] = sibling_agencies[hidden_agency[r]]
        if agencies:
            names = ", ".join(a.code for a in sorted(agencies.values(), key=lambda a: a.code))
            e.add("elsewhere", ELSEWHERE, min(len(agencies), 3), {"agencies": names})
    ranked = sorted((e for e in candidates if e.score >= MIN_SCORE), key=lambda e: (-e.score, e.key))[:limit]
    # Names from the records the viewer may see (every record of the network is, being in a visible
    # case; `members` holds only those and the entity's other records the policy lets them see).
    shown = {r: e for e in ranked for r in sorted(members.get(e.key, ()))}
    details = {
        pk: (name, kind, agency)
        for pk, name, kind, agency in Subject.objects.filter(pk__any=shown)
        .order_by()
        .values_list("pk", "name", "kind", "recorded_by_agency__code")
    }
    for record, e in shown.items():
        if not e.record_id and record in details:
            e.record_id = record
            e.name, e.kind, e.agency = details[record][0], details[record][1], details[record][2] or ""
    for e in ranked:
        e.score = round(e.score, 1)
        e.finish()
    return [e for e in ranked if e.record_id]
