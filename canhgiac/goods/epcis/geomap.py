"""The map of a trace's places: an inline SVG drawn on the server (no script, no tiles, nothing
fetched), one circle per commune the goods passed through, or per `geo:` point.

Positions. An event's place is a commune through `lots.places_of` (the commune of the business
sending events there); the commune's position is its `AdministrativeUnit.latitude/longitude`,
reference data the province loads (directory: `import-unit-locations`). A place that is itself a
`geo:lat,lon` URI (RFC 5870; EPCIS 2.0 allows one as readPoint or bizLocation) is placed exactly
there, without any commune. Communes without coordinates are not guessed: they are listed under
the map ("N xã, phường chưa có tọa độ").

Drawing. Equirectangular projection with the longitudes scaled by cos(mean latitude), over the
points' extent with a margin (at least 2 km across, 0.8 km high); circle area proportional to the number of
events; arrows from a `shipping` event's place to its destinations (the `destinationList`
locations, else the next receiving/arriving place), numbered in time order; a scale bar in km.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from canhgiac.core.numbers import format_vn_number

WIDTH = 400  # viewBox units; the SVG scales to the page's width
MAX_HEIGHT = 400
MARGIN = 34
MIN_SPAN_KM = 2.0
MAX_RADIUS = 16.0
MIN_RADIUS = 3.0
FONT = 12
KM_PER_DEG_LAT = 110.574
KM_PER_DEG_LON = 111.320  # at the equator; times cos(latitude)
NICE_KM = (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)

_GEO = re.compile(
    r"^geo:(?P<lat>[-+]?\d{1,2}(?:\.\d+)?),(?P<lon>[-+]?\d{1,3}(?:\.\d+)?)(?:,[-+]?\d+(?:\.\d+)?)?(?P<params>;.*)?$",
    re.IGNORECASE,
)


def geo_point(uri: str) -> tuple[float, float] | None:
    """(latitude, longitude) of a `geo:` URI in WGS 84 (RFC 5870), else None (another CRS, out
    of range, or not a geo URI)."""
    if not uri or not uri[:4].lower() == "geo:":
        return None
    m = _GEO.match(uri.strip())
    if m is None:
        return None
    params = (m.group("params") or "").lower()
    crs = re.search(r";crs=([^;]+)", params)
    if crs and crs.group(1) != "wgs84":
        return None
    lat, lon = float(m.group("lat")), float(m.group("lon"))
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def _degrees(value: float) -> str:
    return format_vn_number(round(value, 5))


@dataclass
class Point:
    key: str
    label: str
    lat: float
    lon: float
    exact: bool = False  # a geo: URI, not a commune's reference point
    events: int = 0
    first: int = 0  # index of the first step there (time order)
    x: float = 0.0
    y: float = 0.0
    r: float = 0.0
    label_x: float = 0.0
    label_y: float = 0.0
    anchor: str = "start"


@dataclass
class Arrow:
    order: int
    source: Point
    target: Point
    x1: float = 0.0
    y1: float = 0.0
    x2: float = 0.0
    y2: float = 0.0
    mx: float = 0.0
    my: float = 0.0


@dataclass
class PlaceMap:
    points: list[Point] = field(default_factory=list)
    arrows: list[Arrow] = field(default_factory=list)
    unplaced: list[str] = field(default_factory=list)  # communes without coordinates
    unknown: int = 0  # places with no known commune (and no geo: URI)
    width: int = WIDTH
    height: int = 0
    scale_px: float = 0.0
    scale_label: str = ""
    scale_y: float = 0.0
    scale_x2: float = 0.0
    scale_tick: float = 0.0

    @property
    def drawn(self) -> bool:
        return bool(self.points)

    @property
    def title(self) -> str:
        return _("Bản đồ nơi hàng đã qua")

    @property
    def description(self) -> str:
        """The text of the picture for screen readers (the table below says it in full)."""
        parts = [
            ngettext("%(n)s sự kiện tại %(place)s", "%(n)s sự kiện tại %(place)s", p.events)
            % {"n": format_vn_number(p.events), "place": p.label}
            for p in self.points
        ]
        text = "; ".join(parts) + "."
        if self.arrows:
            text += " " + _("Xuất hàng, theo thứ tự thời gian: %(moves)s.") % {
                "moves": "; ".join(f"{a.order}. {a.source.label} → {a.target.label}" for a in self.arrows)
            }
        return text

    @property
    def caption(self) -> str:
        out = []
        if self.unplaced:
            out.append(
                ngettext(
                    "%(n)s xã, phường chưa có tọa độ: %(names)s",
                    "%(n)s xã, phường chưa có tọa độ: %(names)s",
                    len(self.unplaced),
                )
                % {"n": format_vn_number(len(self.unplaced)), "names": ", ".join(self.unplaced)}
            )
        if self.unknown:
            out.append(
                ngettext("%(n)s nơi chưa rõ xã, phường", "%(n)s nơi chưa rõ xã, phường", self.unknown)
                % {"n": format_vn_number(self.unknown)}
            )
        return "; ".join(out) + ("." if out else "")


def place_map(steps, places, destination_places=None) -> PlaceMap:
    """The map of a trace's steps (trace.Step, time order). `places`: lots.places_of() of the
    steps' places; `destination_places`: of the shipping destinations (looked up when None)."""
    from canhgiac.goods.epcis.lots import DELIVERED, SHIPPING, _destinations, _place_of_event, places_of

    result = PlaceMap()
    points: dict[str, Point] = {}
    unplaced: dict[int, str] = {}
    unknown: set[str] = set()

    def point_of(location: str, place) -> Point | None:
        geo = geo_point(location or "")
        if geo is not None:
            key = f"geo:{geo[0]:.5f},{geo[1]:.5f}"
            if key not in points:
                where = place.unit.name if place is not None and place.unit is not None else ""
                label = where or f"{_degrees(geo[0])}; {_degrees(geo[1])}"
                points[key] = Point(key, label, geo[0], geo[1], exact=True)
            return points[key]
        unit = place.unit if place is not None else None
        if unit is None:
            return None
        if unit.latitude is None or unit.longitude is None:
            return None
        key = f"unit:{unit.pk}"
        if key not in points:
            points[key] = Point(key, unit.name, float(unit.latitude), float(unit.longitude))
        return points[key]

    at: list[Point | None] = []
    for index, step in enumerate(steps):
        event = step.event
        location = event.biz_location or event.read_point
        place = _place_of_event(event, places)
        point = point_of(location, place)
        at.append(point)
        if point is None:
            if place.unit is not None:
                unplaced.setdefault(place.unit.pk, place.unit.name)
            else:
                unknown.add(location or f"event:{event.pk}")
            continue
        if point.events == 0:
            point.first = index
        point.events += 1
    result.unplaced = list(unplaced.values())
    result.unknown = len(unknown)
    if not points:
        return result

    # arrows: shipping -> its destinations (else the next receiving/arriving place), time order
    shipments = [(i, s) for i, s in enumerate(steps) if s.event.biz_step == SHIPPING and at[i] is not None]
    wanted = {d for _i, s in shipments for d in _destinations(s.event.body)}
    if destination_places is None:
        destination_places = places_of(wanted - set(places)) if wanted - set(places) else {}
    lookup = {**destination_places, **places}
    seen: set[tuple[str, str]] = set()
    for index, step in shipments:
        source = at[index]
        targets = []
        for destination in sorted(_destinations(step.event.body)):
            target = point_of(destination, lookup.get(destination))
            if target is not None:
                if target.events == 0:  # shipped to, no event of the trace there: a small circle
                    target.first = index
                targets.append(target)
        if not targets:
            for later, other in enumerate(steps[index + 1 :], start=index + 1):
                if other.event.biz_step in DELIVERED and at[later] is not None and at[later] is not source:
                    targets.append(at[later])
                    break
        for target in targets:
            pair = (source.key, target.key)
            if target is source or pair in seen:
                continue
            seen.add(pair)
            result.arrows.append(Arrow(len(result.arrows) + 1, source, target))
    result.points = sorted(points.values(), key=lambda p: p.first)
    _layout(result)
    return result


def _layout(result: PlaceMap) -> None:
    points = result.points
    lat_min, lat_max = min(p.lat for p in points), max(p.lat for p in points)
    lon_min, lon_max = min(p.lon for p in points), max(p.lon for p in points)
    kx = KM_PER_DEG_LON * math.cos(math.radians((lat_min + lat_max) / 2))
    span_x = max((lon_max - lon_min) * kx, MIN_SPAN_KM)
    # a flat extent (one point, or points on a parallel) gets a low drawing, not a square
    span_y = max((lat_max - lat_min) * KM_PER_DEG_LAT, MIN_SPAN_KM * 0.4)
    inner_w = WIDTH - 2 * MARGIN
    scale = min(inner_w / span_x, (MAX_HEIGHT - 2 * MARGIN) / span_y)  # px per km
    height = max(span_y * scale + 2 * MARGIN + 16, 180)  # 16: room for the scale bar
    # centre the extent in the drawing
    mid_lon, mid_lat = (lon_min + lon_max) / 2, (lat_min + lat_max) / 2
    cx, cy = WIDTH / 2, (height - 16) / 2
    most = max(p.events for p in points)
    for p in points:
        p.x = round(cx + (p.lon - mid_lon) * kx * scale, 1)
        p.y = round(cy - (p.lat - mid_lat) * KM_PER_DEG_LAT * scale, 1)
        p.r = round(max(MAX_RADIUS * math.sqrt(p.events / most), MIN_RADIUS), 1)
    result.height = int(math.ceil(height))
    for arrow in result.arrows:
        s, t = arrow.source, arrow.target
        dx, dy = t.x - s.x, t.y - s.y
        length = math.hypot(dx, dy) or 1.0
        ux, uy = dx / length, dy / length
        arrow.x1, arrow.y1 = round(s.x + ux * (s.r + 2), 1), round(s.y + uy * (s.r + 2), 1)
        arrow.x2, arrow.y2 = round(t.x - ux * (t.r + 5), 1), round(t.y - uy * (t.r + 5), 1)
        # the order number beside the middle of the line
        arrow.mx, arrow.my = round((s.x + t.x) / 2 - uy * 9, 1), round((s.y + t.y) / 2 + ux * 9 + 4, 1)
    _place_labels(result)
    # scale bar: the longest round length within a quarter of the drawing's width
    target_km = (inner_w / 4) / scale
    nice = max((k for k in NICE_KM if k <= target_km), default=NICE_KM[0])
    result.scale_px = round(nice * scale, 1)
    result.scale_label = f"{format_vn_number(nice)} km"
    result.scale_y = result.height - 8
    result.scale_x2 = round(10 + result.scale_px, 1)
    result.scale_tick = result.scale_y - 5


def _place_labels(result: PlaceMap) -> None:
    """Each label right of its circle, else left, above or below: the first spot inside the
    drawing that overlaps no label already placed and no other circle."""
    boxes: list[tuple[float, float, float, float]] = []
    circles = [(p.x - p.r, p.y - p.r, p.x + p.r, p.y + p.r, p.key) for p in result.points]

    def overlaps(a, b):
        return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]

    for p in result.points:
        w = len(p.label) * FONT * 0.56
        options = [
            (
                p.x + p.r + 3,
                p.y + FONT * 0.35,
                "start",
                (p.x + p.r + 3, p.y - FONT * 0.7, p.x + p.r + 3 + w, p.y + FONT * 0.4),
            ),
            (
                p.x - p.r - 3,
                p.y + FONT * 0.35,
                "end",
                (p.x - p.r - 3 - w, p.y - FONT * 0.7, p.x - p.r - 3, p.y + FONT * 0.4),
            ),
            (p.x, p.y - p.r - 4, "middle", (p.x - w / 2, p.y - p.r - 4 - FONT, p.x + w / 2, p.y - p.r - 4)),
            (
                p.x,
                p.y + p.r + FONT + 2,
                "middle",
                (p.x - w / 2, p.y + p.r + 2, p.x + w / 2, p.y + p.r + FONT + 3),
            ),
        ]
        inside = [
            o
            for o in options
            if o[3][0] >= 2 and o[3][2] <= result.width - 2 and o[3][1] >= 2 and o[3][3] <= result.height - 18
        ]
        free = [
            o
            for o in inside
            if not any(overlaps(o[3], b) for b in boxes)
            and not any(overlaps(o[3], c[:4]) for c in circles if c[4] != p.key)
        ]
        x, y, anchor, box = (free or inside or options)[0]
        p.label_x, p.label_y, p.anchor = round(x, 1), round(y, 1), anchor
        boxes.append(box)
