"""A synthetic supply chain of EPCIS events for the 10,000,000-event benchmark (bench/epcis_query.py),
loaded by COPY with the secondary indexes dropped during the load and built afterwards.

The chain, one lot at a time (the sizes vary per lot, drawn from a seeded generator):

- 3,000 GTINs of 300 manufacturers; a lot is 2-8 cases of 6-12 items of one GTIN, made at its
  manufacturer's plant (one of 300 GLNs), each case's items commissioned by one ObjectEvent ADD
  with the lot number and expiry in ILMD (so the items' `lot` is known, as a capture stores it);
- packing: an AggregationEvent per case (SSCC parent, the items as children), one for the pallet
  (the cases as children); shipping of the pallet (with a purchase order) and receiving at one of
  100 distributors; a class-level ObjectEvent (`storing`, quantityList of the lot) there;
- unpacking the pallet; each case shipped to and received at one of 5,000 shops, unpacked;
- 70-100 % of the items sold one by one (`retail_selling`), spread over the following 60 days;
- one lot in ten is partly repacked: a TransformationEvent (3 items in, one gift pack of another
  GTIN out, with its own lot); one lot in twenty is inspected at a shop (`inspecting`).

Event times run over two years from 2025-01-01, lot after lot, so capture order roughly follows
time. Events belong to the province of the place they happen (ten provinces).
A lot has on average ~70 events and ~220 identifier rows; its trace touches ~100 events.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

DL = "https://id.gs1.org"
CBV = "https://ref.gs1.org/cbv/"
START = datetime(2025, 1, 1, tzinfo=UTC)
SPAN = timedelta(days=730)
GTINS = 3000
COMPANIES = 300
DISTRIBUTORS = 100
SHOPS = 5000


def check_digit(digits: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        total += int(ch) * (3 if i % 2 == 0 else 1)
    return str((10 - total % 10) % 10)


def gtin(index: int) -> str:
    """GTIN-14 of product `index`: company prefix 893cccc, item reference 0iiiii."""
    company = index // (GTINS // COMPANIES)
    body = f"0893{company:04d}{index:05d}"
    return body + check_digit(body)


def gtin_urn_parts(index: int) -> tuple[str, str]:
    company = index // (GTINS // COMPANIES)
    return f"893{company:04d}", f"0{index:05d}"


def gln(kind: int, index: int) -> str:
    body = f"893{kind}{index:08d}"
    return body + check_digit(body)


def sscc(number: int) -> str:
    body = f"0893{number:013d}"
    return body + check_digit(body)


GTIN_LIST = [gtin(i) for i in range(GTINS)]
PLANTS = [f"{DL}/414/{gln(1, i)}" for i in range(COMPANIES)]
DISTS = [f"{DL}/414/{gln(2, i)}" for i in range(DISTRIBUTORS)]
SHOP_LIST = [f"{DL}/414/{gln(3, i)}" for i in range(SHOPS)]


@dataclass
class Lot:
    number: int
    product: int
    cases: int
    per_case: int
    sold: int
    repack: bool
    inspected: bool

    @property
    def items(self) -> int:
        return self.cases * self.per_case

    def event_count(self) -> int:
        # commission + pack per case, pallet pack, ship, receive, class-level storing, unpack pallet,
        # per case ship + receive + unpack, sells, transformation, inspection
        return 2 * self.cases + 5 + 3 * self.cases + self.sold + self.repack + self.inspected


def lot(number: int) -> Lot:
    rng = random.Random(number * 7919 + 389)
    cases = rng.randint(2, 8)
    per_case = rng.randint(6, 12)
    items = cases * per_case
    return Lot(
        number,
        rng.randrange(GTINS),
        cases,
        per_case,
        rng.randint(items * 7 // 10, items),
        number % 10 == 3,
        number % 20 == 7,
    )


def lot_id(lt: Lot) -> str:
    return f"L{lt.number:06d}"


def item_uri(lt: Lot, k: int) -> str:
    return f"{DL}/01/{GTIN_LIST[lt.product]}/21/{lt.number:06d}{k:03d}"


def lot_uri(lt: Lot) -> str:
    return f"{DL}/01/{GTIN_LIST[lt.product]}/10/{lot_id(lt)}"


def events_of(lt: Lot, nlots: int, provinces: list[int]):
    """(type, time (ISO 8601), action, bizStep, disposition, readPoint, bizLocation, province, epcs, body) of
    each event of the lot, in capture order. epcs: [(epc, role, lot)]; body: the JSON text."""
    rng = random.Random(lt.number * 104729 + 17)
    t0 = START + SPAN * (lt.number / max(nlots, 1))
    company = lt.product // (GTINS // COMPANIES)
    plant = PLANTS[company]
    dist = DISTS[rng.randrange(DISTRIBUTORS)]
    lot_class = lot_uri(lt)
    lid = lot_id(lt)
    expiry = (t0 + timedelta(days=540)).strftime("%Y-%m-%d")
    pmaker = provinces[company % len(provinces)]
    pdist = provinces[(company + rng.randrange(3)) % len(provinces)]
    items = [item_uri(lt, k) for k in range(lt.items)]
    cases = [f"{DL}/00/{sscc(lt.number * 10 + c)}" for c in range(lt.cases)]
    pallet = f"{DL}/00/{sscc(lt.number * 10 + 9)}"
    out = []

    def ev(kind, t, action, step, disp, rp, loc, prov, epcs, extra):
        iso = t.isoformat()
        body = (
            f'{{"type": "{kind}", "eventTime": "{iso}", "eventTimeZoneOffset": "+07:00", {extra}'
            + (f'"action": "{action}", ' if action else "")
            + f'"bizStep": "{step}", '
            + (f'"disposition": "{disp}", ' if disp else "")
            + f'"readPoint": {{"id": "{rp}"}}, "bizLocation": {{"id": "{loc}"}}}}'
        )
        out.append(
            (
                kind,
                iso,
                action,
                CBV + "BizStep-" + step,
                CBV + "Disp-" + disp if disp else "",
                rp,
                loc,
                prov,
                epcs,
                body,
            )
        )

    def lst(xs):
        return ", ".join(f'"{x}"' for x in xs)

    # commissioning, one event per case's worth of items
    for c in range(lt.cases):
        part = items[c * lt.per_case : (c + 1) * lt.per_case]
        ev(
            "ObjectEvent",
            t0 + timedelta(minutes=c),
            "ADD",
            "commissioning",
            "active",
            plant,
            plant,
            pmaker,
            [(e, "e", lot_class) for e in part],
            f'"epcList": [{lst(part)}], "ilmd": {{"cbvmda:lotNumber": "{lid}", '
            f'"cbvmda:itemExpirationDate": "{expiry}"}}, ',
        )
    for c in range(lt.cases):
        part = items[c * lt.per_case : (c + 1) * lt.per_case]
        ev(
            "AggregationEvent",
            t0 + timedelta(minutes=30 + c),
            "ADD",
            "packing",
            "in_progress",
            plant,
            plant,
            pmaker,
            [(cases[c], "p", "")] + [(e, "c", "") for e in part],
            f'"parentID": "{cases[c]}", "childEPCs": [{lst(part)}], ',
        )
    ev(
        "AggregationEvent",
        t0 + timedelta(hours=1),
        "ADD",
        "packing",
        "in_progress",
        plant,
        plant,
        pmaker,
        [(pallet, "p", "")] + [(c, "c", "") for c in cases],
        f'"parentID": "{pallet}", "childEPCs": [{lst(cases)}], ',
    )
    po = f"urn:epcglobal:cbv:bt:{plant[-13:]}:PO{lt.number:07d}"
    ev(
        "ObjectEvent",
        t0 + timedelta(days=1),
        "OBSERVE",
        "shipping",
        "in_transit",
        plant,
        plant,
        pmaker,
        [(pallet, "e", "")],
        f'"epcList": ["{pallet}"], "bizTransactionList": [{{"type": "po", "bizTransaction": "{po}"}}], '
        f'"sourceList": [{{"type": "owning_party", "source": "{plant}"}}], '
        f'"destinationList": [{{"type": "owning_party", "destination": "{dist}"}}], ',
    )
    ev(
        "ObjectEvent",
        t0 + timedelta(days=3),
        "OBSERVE",
        "receiving",
        "in_progress",
        dist,
        dist,
        pdist,
        [(pallet, "e", "")],
        f'"epcList": ["{pallet}"], "bizTransactionList": [{{"type": "po", "bizTransaction": "{po}"}}], ',
    )
    ev(
        "ObjectEvent",
        t0 + timedelta(days=3, hours=2),
        "OBSERVE",
        "storing",
        "sellable_not_accessible",
        dist,
        dist,
        pdist,
        [(lot_class, "q", lot_class)],
        f'"epcList": [], "quantityList": [{{"epcClass": "{lot_class}", "quantity": {lt.items}}}], ',
    )
    ev(
        "AggregationEvent",
        t0 + timedelta(days=4),
        "DELETE",
        "unpacking",
        "",
        dist,
        dist,
        pdist,
        [(pallet, "p", "")] + [(c, "c", "") for c in cases],
        f'"parentID": "{pallet}", "childEPCs": [{lst(cases)}], ',
    )
    shops = [SHOP_LIST[rng.randrange(SHOPS)] for _ in range(lt.cases)]
    for c in range(lt.cases):
        ev(
            "ObjectEvent",
            t0 + timedelta(days=5, minutes=c),
            "OBSERVE",
            "shipping",
            "in_transit",
            dist,
            dist,
            pdist,
            [(cases[c], "e", "")],
            f'"epcList": ["{cases[c]}"], "destinationList": [{{"type": "location", "destination": "{shops[c]}"}}], ',
        )
    for c in range(lt.cases):
        sprov = provinces[(company + c + rng.randrange(5)) % len(provinces)]
        ev(
            "ObjectEvent",
            t0 + timedelta(days=6, hours=c),
            "OBSERVE",
            "receiving",
            "in_progress",
            shops[c],
            shops[c],
            sprov,
            [(cases[c], "e", "")],
            f'"epcList": ["{cases[c]}"], ',
        )
        part = items[c * lt.per_case : (c + 1) * lt.per_case]
        ev(
            "AggregationEvent",
            t0 + timedelta(days=6, hours=c, minutes=30),
            "DELETE",
            "unpacking",
            "",
            shops[c],
            shops[c],
            sprov,
            [(cases[c], "p", "")] + [(e, "c", "") for e in part],
            f'"parentID": "{cases[c]}", "childEPCs": [{lst(part)}], ',
        )
    sold = rng.sample(range(lt.items), lt.sold)
    sold.sort()
    for k in sold:
        c = k // lt.per_case
        sprov = provinces[(company + c) % len(provinces)]
        ev(
            "ObjectEvent",
            t0 + timedelta(days=7 + rng.random() * 60),
            "OBSERVE",
            "retail_selling",
            "retail_sold",
            shops[c],
            shops[c],
            sprov,
            [(items[k], "e", "")],
            f'"epcList": ["{items[k]}"], ',
        )
    if lt.repack:
        other = GTIN_LIST[(lt.product + 1) % GTINS]
        inputs = items[:3]
        output = f"{DL}/01/{other}/21/R{lt.number:06d}"
        out_lot = f"{DL}/01/{other}/10/R{lid}"
        ev(
            "TransformationEvent",
            t0 + timedelta(days=4, hours=5),
            "",
            "repackaging",
            "active",
            dist,
            dist,
            pdist,
            [(e, "i", "") for e in inputs] + [(output, "o", out_lot)],
            f'"inputEPCList": [{lst(inputs)}], "outputEPCList": ["{output}"], '
            f'"ilmd": {{"cbvmda:lotNumber": "R{lid}"}}, ',
        )
    if lt.inspected:
        k = lt.items - 1
        c = k // lt.per_case
        ev(
            "ObjectEvent",
            t0 + timedelta(days=20),
            "OBSERVE",
            "inspecting",
            "active",
            shops[c],
            shops[c],
            provinces[(company + c) % len(provinces)],
            [(items[k], "e", "")],
            f'"epcList": ["{items[k]}"], ',
        )
    assert len(out) == lt.event_count(), (len(out), lt.event_count())
    return out
