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

from canhgiac.core import policy
from canhgiac.subjects.network import nodes as node_map

BETWEENNESS_SAMPLES = 256
MIN_SCORE = 3.0
_signals: list[Callable] = []


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

    def add(self, code, text, points):
        if points > 0:
            self.reasons.append(Reason(code, text, round(points, 1)))
            self.score += points


def _centrality(subject_nodes, case_links, relation_pairs):
    """PageRank and sampled betweenness of each subject node in the case–subject network."""
    import igraph

    names = list(subject_nodes) + sorted({f"c:{c}" for c, _n in case_links})
    index = {name: i for i, name in enumerate(names)}
    edges = {(index[node], index[f"c:{case}"]) for case, node in case_links}
    edges |= {(index[a], index[b]) for a, b in relation_pairs if a in index and b in index and a != b}
    graph = igraph.Graph(n=len(names), edges=sorted(edges))
    pagerank = graph.pagerank(directed=False)
    n = len(names)
    rng = random.Random(389)  # the same sample every time: the same list for the same data
    if n > BETWEENNESS_SAMPLES:
        sources = rng.sample(range(n), BETWEENNESS_SAMPLES)
        raw = graph.betweenness(sources=sources, targets=None, directed=False)
        factor = n / BETWEENNESS_SAMPLES
        between = [b * factor for b in raw]
    else:
        between = graph.betweenness(directed=False)
    return {name: (pagerank[index[name]], between[index[name]]) for name in subject_nodes}


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
    relations = policy.visible_to(user, Relation.objects.filter(subject_id__in=records, other_id__in=records))
    pairs = [(key_of[a], key_of[b]) for a, b in relations.order_by().values_list("subject_id", "other_id")]
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
            _("Vai trò người tổ chức, cầm đầu trong %(n)s vụ") % {"n": n_org},
            4 * min(n_org, 5),
        )
        entry.add(
            "repeat", _("Vi phạm nhiều lần: %(n)s vụ trong kỳ") % {"n": n_cases}, 1.5 * min(n_cases - 1, 10)
        )
        entry.add(
            "agencies",
            _("Bị %(n)s cơ quan khác nhau phát hiện") % {"n": len(stats["agencies"])},
            2 * (len(stats["agencies"]) - 1),
        )
        entry.add(
            "communes",
            _("Vi phạm tại %(n)s xã, phường") % {"n": len(stats["units"])},
            len(stats["units"]) - 1,
        )
        entry.add(
            "high_risk",
            _("Hàng hóa thuộc nhóm rủi ro cao trong %(n)s vụ") % {"n": len(stats["risky"])},
            1.5 * min(len(stats["risky"]), 5),
        )
        if key in top_pr:
            entry.add(
                "pagerank",
                _(
                    "Ở vị trí trung tâm của mạng lưới vụ việc – đối tượng (PageRank thuộc nhóm %(share)s cao nhất)"
                )
                % {"share": "1 %" if key in top_pr1 else "5 %"},
                3 if key in top_pr1 else 2,
            )
        if key in top_bt:
            entry.add(
                "betweenness",
                _("Là cầu nối giữa các nhóm đối tượng (độ trung gian thuộc nhóm 5 % cao nhất)"),
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
        entry.score = round(entry.score, 1)
    return [e for e in ranked if e.record_id]
