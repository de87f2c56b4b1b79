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
  a record of the same identifier (1 point per agency, up to 3), never what it holds;
- reasons from other apps through `register_signal` (the online app will add "linked to online
  accounts with flagged listings"; no such app exists yet, so no such reason is given today).

Filters: the period builds the network; commune and goods keep the subjects with at least one
case in that commune / with goods of that category (their figures still count every case of
the period, since repeat offending across communes is the point).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
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


def _centrality(subject_nodes, case_links, relation_pairs):
    """PageRank and sampled betweenness of each subject node in the case–subject network.

    Betweenness is computed on the network's core (nodes with two links or more: a subject seen in
    a single case, or a case with a single subject, bridges nothing) from at most
    `BETWEENNESS_SAMPLES` sources drawn with a fixed seed (Brandes–Pich sampling), so the list is
    the same for the same data; only its top 5 % is used, as a reason."""
    import igraph
    import numpy as np

    names = list(subject_nodes) + sorted({f"c:{c}" for c, _n in case_links})
    index = {name: i for i, name in enumerate(names)}
    edges = {(index[node], index[f"c:{case}"]) for case, node in case_links}
    edges |= {(index[a], index[b]) for a, b in relation_pairs if a in index and b in index and a != b}
    n = len(names)
    pairs = np.array(sorted(edges), dtype=np.int64).reshape(-1, 2)
    pagerank = _pagerank(n, pairs[:, 0], pairs[:, 1])
    degree = np.bincount(pairs[:, 0], minlength=n) + np.bincount(pairs[:, 1], minlength=n)
    core = np.flatnonzero(degree >= 2)
    between = np.zeros(n)
    if len(core) > 2:
        position = np.full(n, -1)
        position[core] = np.arange(len(core))
        keep = (position[pairs[:, 0]] >= 0) & (position[pairs[:, 1]] >= 0)
        sub = igraph.Graph(
            n=len(core), edges=np.column_stack([position[pairs[keep, 0]], position[pairs[keep, 1]]]).tolist()
        )
        if len(core) > BETWEENNESS_SAMPLES:
            sources = random.Random(389).sample(range(len(core)), BETWEENNESS_SAMPLES)
            raw = sub.betweenness(sources=sources, targets=None, directed=False)
        else:
            raw = sub.betweenness(directed=False)
        between[core] = raw
    return {name: (float(pagerank[index[name]]), float(between[index[name]])) for name in subject_nodes}


def _top_share(values: dict[str, float], share: float) -> set[str]:
    """The keys whose value is in the top `share` (and above zero)."""
    ordered = sorted((v for v in values.values() if v > 0), reverse=True)
    if not ordered:
        return set()
    cut = ordered[max(0, int(len(values) * share) - 1) if int(len(values) * share) else 0]
    return {k for k, v in values.items() if v >= cut and v > 0}


def elsewhere_agencies(user, record_ids) -> dict[int, list]:
    """For each record, the agencies holding a record of the same kind and identifier that `user`
    may not see (the sharing rule: which agency, nothing more). Two queries."""
    from canhgiac.directory.models import Agency
    from canhgiac.subjects.models import Subject

    mine = list(
        Subject.objects.filter(pk__in=list(record_ids))
        .exclude(identifier="")
        .values_list("pk", "kind", "identifier")
    )
    if not mine:
        return {}
    others = Subject.objects.filter(identifier__in={i for _p, _k, i in mine}).exclude(pk__in=list(record_ids))
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


def attention(user, *, date_from=None, date_to=None, unit_code=None, goods=None, limit=100) -> list[Entry]:
    """The subjects of the viewer's network worth a look, highest score first (see the module)."""
    from canhgiac.cases import services as cases
    from canhgiac.subjects.models import Relation, Subject

    facts = cases.subject_links
    rows = facts.network_rows(user, date_from=date_from, date_to=date_to)
    if not rows:
        return []
    records = {s for _c, s, _r, _a, _u in rows}
    key_of = node_map.node_keys(records)
    risky = facts.high_risk_case_ids(user, date_from=date_from, date_to=date_to)
    wanted = None
    if unit_code or goods:
        wanted = facts.matching_case_ids(
            user, date_from=date_from, date_to=date_to, unit_code=unit_code, goods=goods
        )
    per_node: dict[str, dict] = {}
    case_links = set()
    for case_id, record, role, agency_id, unit_id in rows:
        key = key_of[record]
        stats = per_node.setdefault(
            key,
            {
                "cases": set(),
                "organiser": set(),
                "agencies": set(),
                "units": set(),
                "risky": set(),
                "match": False,
            },
        )
        stats["cases"].add(case_id)
        stats["agencies"].add(agency_id)
        stats["units"].add(unit_id)
        if role in facts.ORGANISER_ROLES:
            stats["organiser"].add(case_id)
        if case_id in risky:
            stats["risky"].add(case_id)
        if wanted is None or case_id in wanted:
            stats["match"] = True
        case_links.add((case_id, key))
    # Every relation the viewer may see, kept to the network in Python: an IN list of every subject
    # of the province would cost more to send than the relations themselves.
    relations = (
        policy.visible_to(user, Relation.objects.all()).order_by().values_list("subject_id", "other_id")
    )
    pairs = [
        (key_of[a], key_of[b]) for a, b in relations.iterator(chunk_size=5000) if a in key_of and b in key_of
    ]
    central = _centrality(list(per_node), case_links, pairs)
    pagerank = {k: v[0] for k, v in central.items()}
    between = {k: v[1] for k, v in central.items()}
    top_pr, top_pr1, top_bt = (
        _top_share(pagerank, 0.05),
        _top_share(pagerank, 0.01),
        _top_share(between, 0.05),
    )

    entries: dict[str, Entry] = {}
    for key, stats in per_node.items():
        if not stats["match"]:
            continue
        entry = Entry(key=key, record_id=0, name="", kind="", agency="")
        n_cases, n_org = len(stats["cases"]), len(stats["organiser"])
        entry.add(
            "organiser",
            ORGANISER,
            4 * min(n_org, 5),
            {"n": n_org},
        )
        entry.add("repeat", REPEAT, 1.5 * min(n_cases - 1, 10), {"n": n_cases})
        entry.add(
            "agencies",
            AGENCIES,
            2 * (len(stats["agencies"]) - 1),
            {"n": len(stats["agencies"])},
        )
        entry.add(
            "communes",
            COMMUNES,
            len(stats["units"]) - 1,
            {"n": len(stats["units"])},
        )
        entry.add(
            "high_risk",
            HIGH_RISK,
            1.5 * min(len(stats["risky"]), 5),
            {"n": len(stats["risky"])},
        )
        if key in top_pr:
            entry.add(
                "pagerank",
                PAGERANK,
                3 if key in top_pr1 else 2,
                {"share": "1 %" if key in top_pr1 else "5 %"},
            )
        if key in top_bt:
            entry.add(
                "betweenness",
                BETWEENNESS,
                2,
            )
        entries[key] = entry

    members = node_map.node_records(entries)
    for fn in _signals:
        for key, reasons in (fn(user, members, date_from, date_to) or {}).items():
            if key in entries:
                for reason in reasons:
                    entries[key].add(reason.code, reason.text, reason.points)
    # Elsewhere (the sharing rule) only for those already worth a look: it adds at most 3 points.
    candidates = sorted(entries.values(), key=lambda e: -e.score)[: max(limit * 3, 300)]
    candidate_records = {r for e in candidates for r in members.get(e.key, ())}
    holders = elsewhere_agencies(user, candidate_records)
    for entry in candidates:
        agencies = {a.pk: a for r in members.get(entry.key, ()) for a in holders.get(r, [])}
        if agencies:
            names = ", ".join(a.code for a in sorted(agencies.values(), key=lambda a: a.code))
            entry.add(
                "elsewhere",
                _(
                    "Cơ quan khác (%(agencies)s) cũng có hồ sơ cùng số định danh mà bạn không được xem; liên hệ để phối hợp"
                )
                % {"agencies": names},
                min(len(agencies), 3),
            )
    ranked = sorted((e for e in entries.values() if e.score >= MIN_SCORE), key=lambda e: (-e.score, e.key))[
        :limit
    ]
    # Names from the records the viewer may see (every record of the network is: it is in a
    # visible case), one query.
    shown = {r: e for e in ranked for r in sorted(members.get(e.key, ()))}
    details = {
        pk: (name, kind, agency)
        for pk, name, kind, agency in Subject.objects.filter(pk__in=list(shown)).values_list(
            "pk", "name", "kind", "recorded_by_agency__code"
        )
    }
    for record, entry in shown.items():
        if not entry.record_id and record in details:
            entry.record_id = record
            entry.name, entry.kind, entry.agency = (
                details[record][0],
                details[record][1],
                details[record][2] or "",
            )
    for entry in ranked:
        entry.score = round(entry.score, 1)
        entry.finish()
    return [e for e in ranked if e.record_id]
