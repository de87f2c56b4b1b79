"""The network around a subject, as the viewer may see it.

Nodes: subjects — resolved entities, one node per entity with its records folded in (by
`nodes.node_keys`) —, the cases that join them (a case is a hub: its subjects
are linked to it with their roles, instead of every pair of them), the shared contact keys that
join records (a phone, an address, … — also hubs), and, for records the viewer may not see, one
placeholder per holding agency: "một cơ quan khác có hồ sơ", with that agency's contact and
nothing else (the sharing rule of issue 9). A placeholder is never expanded: what the hidden
record is linked to stays hidden.

A hop is one step from subject to subject: through a case they share, a relation, or a shared
key. Filters: link types (`LINK_TYPES`) and a date window (cases by their detection date,
relations by their period; shared keys have no date and stay). The work is a fixed number of
queries per hop (at most 3 hops), whatever the size of the network.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from canhgiac.core import policy
from canhgiac.subjects.network import nodes as node_map

RELATION_TYPES = {
    "ownership": _("Sở hữu"),
    "directorship": _("Điều hành, quản lý"),
    "family": _("Gia đình, họ hàng"),
    "associate": _("Quen biết, cộng sự"),
    "employment": _("Thuê mướn lao động"),
}
IMPLIED_TYPES = {
    "case": _("Cùng vụ việc"),
    "phone": _("Cùng số điện thoại"),
    "bank_account": _("Cùng tài khoản ngân hàng"),
    "address": _("Cùng địa chỉ"),
    "online_account": _("Cùng tài khoản trực tuyến"),
    "vehicle": _("Cùng phương tiện"),
}
LINK_TYPES = {**RELATION_TYPES, **IMPLIED_TYPES}
KEY_TYPES = ("phone", "bank_account", "address", "online_account", "vehicle")
MAX_HOPS = 3
MAX_NODES = 10_000
HIDDEN_LABEL = _("Một cơ quan khác có hồ sơ")
PLACEHOLDER = "9876543210"


@dataclass
class Network:
    center: str
    nodes: dict[str, dict] = field(default_factory=dict)
    edges: list[dict] = field(default_factory=list)
    truncated: bool = False

    def node(self, key, **attrs):
        if key not in self.nodes:
            self.nodes[key] = {"id": key, **attrs}
        return self.nodes[key]

    def edge(self, source, target, kind, label, start=None, end=None):
        self.edges.append(
            {
                "source": source,
                "target": target,
                "type": kind,
                "label": label if isinstance(label, str) else str(label),
                "start": start.isoformat() if start else None,
                "end": end.isoformat() if end else None,
            }
        )


def _dates(value):
    return value if isinstance(value, dt.date) or value is None else dt.date.fromisoformat(value)


def build(user, subject, *, hops=2, types=None, date_from=None, date_to=None, max_nodes=MAX_NODES):
    """The network of `subject` (a record the caller checked `user` may see) within `hops`."""
    from canhgiac.cases import services as cases
    from canhgiac.directory.models import Agency
    from canhgiac.subjects.models import LinkKey, Relation, Subject

    hops = max(1, min(int(hops), MAX_HOPS))
    types = set(types or LINK_TYPES) & set(LINK_TYPES)
    date_from, date_to = _dates(date_from), _dates(date_to)
    facts = cases.subject_links

    record_node = node_map.node_keys([subject.pk])
    center = record_node[subject.pk]
    net = Network(center=center)
    hop_of: dict[str, int] = {center: 0}  # subject nodes and hubs
    # the centre is the subject's entity: every record of it the viewer may see is followed; the
    # others are neither followed nor drawn (only their agencies are named on the node)
    center_records = node_map.node_records([center]).get(center, set()) | {subject.pk}
    # every record of each node reached (each one's visibility is checked when it is reached)
    members_of: dict[str, set[int]] = {center: set(center_records)}
    # record → node key of every visible record, read with the visibility queries themselves
    keys_of: dict[int, str] = {subject.pk: center}
    keys_of.update(
        (pk, node_map.key(pk, entity))
        for pk, entity in policy.visible_to(
            user, Subject.objects.filter(pk__any=center_records).order_by()
        ).values_list("pk", "entity_id")
    )
    visible: set[int] = set(keys_of)
    hidden_agency: dict[int, int | None] = {}  # hidden record → its agency
    seen_cases: set[int] = set()
    seen_keys: set[tuple[str, str]] = set()
    seen_relations: set[int] = set()
    # pending edges between records (resolved to nodes at the end): (record a, hub key or record b, …)
    case_edges: list[tuple[int, int, str]] = []
    key_edges: list[tuple[int, str]] = []
    relation_edges: list[tuple[int, int, str, str, object, object]] = []
    frontier = set(visible)
    reached: set[int] = set(center_records)
    case_hop: dict[int, int] = {}

    for hop in range(1, hops + 1):
        if not frontier:
            break
        found: set[int] = set()
        if "case" in types:
            rows = facts.subject_case_rows(user, frontier, date_from=date_from, date_to=date_to)
            new_cases = {case_id for case_id, _s, _r in rows} - seen_cases
            seen_cases |= new_cases
            for case_id in new_cases:
                case_hop[case_id] = hop
            for case_id, record, role in facts.case_members(new_cases):
                case_edges.append((record, case_id, role))
                found.add(record)
        wanted_relations = types & set(RELATION_TYPES)
        if wanted_relations:
            rels = policy.visible_to(
                user,
                Relation.objects.filter(
                    Q(subject_id__any=frontier) | Q(other_id__any=frontier), kind__in=wanted_relations
                ),
            )
            if date_to:
                rels = rels.filter(Q(start_date__isnull=True) | Q(start_date__lte=date_to))
            if date_from:
                rels = rels.filter(Q(end_date__isnull=True) | Q(end_date__gte=date_from))
            for pk, a, b, kind, detail, start, end in rels.order_by().values_list(
                "pk", "subject_id", "other_id", "kind", "detail", "start_date", "end_date"
            ):
                if pk in seen_relations:
                    continue
                seen_relations.add(pk)
                relation_edges.append((a, b, kind, detail, start, end))
                found |= {a, b}
        wanted_keys = [k for k in KEY_TYPES if k in types]
        if wanted_keys:
            mine = set(
                LinkKey.objects.filter(subject_id__any=frontier, kind__in=wanted_keys)
                .order_by()
                .values_list("kind", "value")
            )
            mine -= seen_keys
            seen_keys |= mine
            if mine:
                cond = Q()
                for kind in {k for k, _v in mine}:
                    cond |= Q(kind=kind, value__in=[v for k, v in mine if k == kind])
                for record, kind, value in LinkKey.objects.filter(cond).values_list(
                    "subject_id", "kind", "value"
                ):
                    key_edges.append((record, f"k:{kind}:{value}"))
                    hop_of.setdefault(f"k:{kind}:{value}", hop)
                    found.add(record)
        new = found - reached
        if len(reached) + len(new) > max_nodes:
            net.truncated = True
            new = set(sorted(new)[: max(0, max_nodes - len(reached))])
        reached |= new
        if new:
            seen_rows = dict(
                policy.visible_to(user, Subject.objects.filter(pk__any=new).order_by()).values_list(
                    "pk", "entity_id"
                )
            )
            seen_now = set(seen_rows)
            keys_of.update((pk, node_map.key(pk, entity)) for pk, entity in seen_rows.items())
            visible |= seen_now
            for pk, agency_id in (
                Subject.objects.filter(pk__any=new - seen_now)
                .order_by()
                .values_list("pk", "recorded_by_agency_id")
            ):
                hidden_agency[pk] = agency_id
            new_nodes = {keys_of[pk] for pk in seen_now}
            # The other records of a node just reached (when a node is a resolved entity) join it.
            node_members = node_map.node_records(new_nodes) if new_nodes else {}
            members_of.update(node_members)
            siblings = set().union(*node_members.values()) - reached if node_members else set()
            if siblings:
                reached |= siblings
                sibling_rows = dict(
                    policy.visible_to(user, Subject.objects.filter(pk__any=siblings).order_by()).values_list(
                        "pk", "entity_id"
                    )
                )
                keys_of.update((pk, node_map.key(pk, entity)) for pk, entity in sibling_rows.items())
                seen_now |= set(sibling_rows)
                visible |= seen_now
            frontier = seen_now
            for key in new_nodes:
                hop_of.setdefault(key, hop)
        else:
            frontier = set()
        if net.truncated:
            break

    # ---- nodes (URLs from one reverse each: thousands of reverse() calls cost seconds)
    subject_url = reverse("subjects:detail", args=[PLACEHOLDER])
    entity_url = reverse("subjects:entity", args=[PLACEHOLDER])
    case_url = reverse("cases:detail", args=[PLACEHOLDER])
    records = {
        pk: (name, kind, agency)
        for pk, name, kind, agency in Subject.objects.filter(pk__any=visible)
        .order_by()
        .values_list("pk", "name", "kind", "recorded_by_agency__code")
    }
    for pk in sorted(visible):
        if pk not in records:
            continue
        name, kind, agency = records[pk]
        key = keys_of[pk]
        node = net.node(
            key, kind="subject", subject_kind=kind, label=name, hop=hop_of.get(key, hops), records=[]
        )
        node["records"].append({"id": pk, "agency": agency, "url": subject_url.replace(PLACEHOLDER, str(pk))})
        if key.startswith("e:"):
            node["entity"] = int(key[2:])
            node["url"] = entity_url.replace(PLACEHOLDER, key[2:])
        else:
            node["url"] = node["records"][0]["url"]
    _name_other_holders(net, members_of, visible)
    agencies = {
        a.pk: a for a in Agency.objects.filter(pk__in={a for a in hidden_agency.values() if a is not None})
    }

    def endpoint(record) -> str | None:
        """The node a record is drawn as: its own node, its agency's placeholder, or none."""
        if record in keys_of:
            return keys_of[record]
        if record not in hidden_agency:
            return None  # beyond the last hop
        agency = agencies.get(hidden_agency[record])
        hkey = f"h:{agency.pk if agency else 0}"
        net.node(
            hkey,
            kind="hidden",
            label=str(HIDDEN_LABEL),
            hop=hops,
            agency=agency.code if agency else "",
            agency_name=agency.name if agency else "",
            hotline=agency.hotline if agency else "",
            email=agency.email if agency else "",
        )
        return hkey

    case_info = facts.case_facts(seen_cases)
    role_labels = {k: str(v) for k, v in facts.ROLE_LABELS.items()}  # translated once, not per link
    type_labels = {k: str(v) for k, v in LINK_TYPES.items()}
    drawn_case_edges: set[tuple[str, int, str]] = set()
    for record, case_id, role in case_edges:
        end = endpoint(record)
        info = case_info.get(case_id)
        if end is None or info is None or (end, case_id, role) in drawn_case_edges:
            continue  # two records of one entity in the same case with the same role: one link
        drawn_case_edges.add((end, case_id, role))
        ckey = f"c:{case_id}"
        net.node(
            ckey,
            kind="case",
            label=info.reference,
            hop=case_hop.get(case_id, hops),
            url=case_url.replace(PLACEHOLDER, str(case_id)),
            date=info.detected_on.isoformat(),
            high_risk=info.high_risk,
        )
        net.edge(end, ckey, "case", role_labels.get(role, role), info.detected_on, info.detected_on)
    hub_members: dict[str, set[str]] = {}
    for record, hub in key_edges:
        end = endpoint(record)
        if end is not None:
            hub_members.setdefault(hub, set()).add(end)
    for hub, members in hub_members.items():
        if len(members) < 2:
            continue  # a key only one node has links nothing
        _k, kind, value = hub.split(":", 2)
        net.node(hub, kind="key", key_type=kind, label=value, hop=hop_of.get(hub, hops))
        for member in sorted(members):
            net.edge(member, hub, kind, type_labels[kind])
    for a, b, kind, detail, start, end in relation_edges:
        ea, eb = endpoint(a), endpoint(b)
        if ea is None or eb is None or ea == eb:
            continue
        label = f"{type_labels[kind]}: {detail}" if detail else type_labels[kind]
        net.edge(ea, eb, kind, label, start, end)
    _drop_loose_hubs(net)
    return net


def _name_other_holders(net: Network, members_of: dict[str, set[int]], visible: set[int]) -> None:
    """On each entity node, the agencies holding records of it the viewer may not see (`holders`:
    their codes, to contact; the sharing rule: nothing of those records). Every record of a node
    reached had its visibility checked when it was reached, so those not visible are hidden. One
    query, for the hidden records only."""
    from canhgiac.subjects.models import Subject

    entity_nodes = [key for key in net.nodes if key.startswith("e:")]
    hidden = {r for key in entity_nodes for r in members_of.get(key, ()) if r not in visible}
    holders: dict[str, set[str]] = {}
    if hidden:
        for entity, agency in (
            Subject.objects.filter(pk__any=hidden)
            .exclude(recorded_by_agency=None)
            .values_list("entity_id", "recorded_by_agency__code")
        ):
            holders.setdefault(f"e:{entity}", set()).add(agency)
    for key in entity_nodes:
        net.nodes[key]["holders"] = sorted(holders.get(key, ()))


def _drop_loose_hubs(net: Network) -> None:
    """A case or key hub that ends up joining nothing (its other records lie beyond the last hop) is
    kept only when it touches the centre: it still tells the viewer something about the subject."""
    degree: dict[str, int] = {}
    for e in net.edges:
        degree[e["source"]] = degree.get(e["source"], 0) + 1
        degree[e["target"]] = degree.get(e["target"], 0) + 1
    touching_centre = {e["target"] for e in net.edges if e["source"] == net.center}
    loose = {
        key
        for key, n in net.nodes.items()
        if n["kind"] in ("case", "key") and degree.get(key, 0) < 2 and key not in touching_centre
    }
    if loose:
        net.nodes = {k: v for k, v in net.nodes.items() if k not in loose}
        net.edges = [e for e in net.edges if e["source"] not in loose and e["target"] not in loose]


def with_layout(net: Network) -> dict:
    """The network as JSON-ready data, with server-computed positions."""
    from canhgiac.subjects.network import layout

    keys = list(net.nodes)
    pos = layout.positions(
        keys, [(e["source"], e["target"]) for e in net.edges], {k: n["hop"] for k, n in net.nodes.items()}
    )
    nodes = []
    for key in keys:
        node = dict(net.nodes[key])
        node["x"], node["y"] = pos.get(key, (0.0, 0.0))
        nodes.append(node)
    return {"center": net.center, "truncated": net.truncated, "nodes": nodes, "edges": net.edges}
