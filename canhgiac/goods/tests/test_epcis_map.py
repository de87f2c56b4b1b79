"""The map of a lot's places on the officers' trace page: a circle per commune with coordinates
(and per geo: point), arrows shipping -> receiving, the communes without coordinates named, and
a note when none has any. The chain is test_epcis_lots's; the coordinates are made up here."""

import re
from decimal import Decimal

import pytest

from canhgiac.goods.epcis import geomap
from canhgiac.goods.tests import test_epcis_lots as lots
from canhgiac.goods.tests.epcis_support import document, object_event
from canhgiac.goods.tests.test_epcis_lots import ITEMS, LOT, _post, _run_chain

chain = lots.chain  # the fixture: the manufacturer -> distributor -> shops chain

pytestmark = pytest.mark.django_db

# made-up positions around Buôn Ma Thuột, for the test only
MADE_UP = [("12.70", "108.00"), ("12.60", "108.10"), ("12.50", "108.20")]


def _locate(communes):
    for unit, (lat, lon) in zip(communes, MADE_UP, strict=True):
        unit.latitude, unit.longitude = Decimal(lat), Decimal(lon)
        unit.save()


def _page(client):
    response = client.get("/goods/trace/", {"q": LOT})
    assert response.status_code == 200
    return response, response.content.decode()


def test_no_coordinates_no_map_but_a_note_with_the_link_for_administrators(
    signed_in,
    chain,
    officer_qltt,
    coordinator_sct,
    admin_user,
):
    _run_chain(signed_in, chain, officer_qltt)
    response, html = _page(signed_in(coordinator_sct))
    assert 'data-testid="trace-map"' not in html and 'data-testid="trace-map-note"' in html
    assert "Bản đồ sẽ hiện khi tỉnh nạp tọa độ các xã, phường" in html
    assert "/directory/locations/" not in html  # the Standing Office may not load them
    assert 'data-testid="trace-places"' in html  # the table stays
    _response, html = _page(signed_in(admin_user))
    assert 'href="/directory/locations/"' in html


def test_a_circle_per_placed_commune_arrows_in_time_order_and_the_unplaced_named(
    signed_in,
    chain,
    officer_qltt,
    coordinator_sct,
):
    _run_chain(signed_in, chain, officer_qltt)
    communes = chain["communes"]
    _locate(communes[:3])  # shop B's commune has none
    response, html = _page(signed_in(coordinator_sct))
    place_map = response.context["place_map"]
    assert [p.label for p in place_map.points] == [c.name for c in communes[:3]]
    assert [p.events for p in place_map.points] == [3, 2, 1]
    assert html.count('data-testid="trace-map-point"') == 3 and html.count("<circle ") == 3
    # area by number of events: r ∝ sqrt(n)
    radius = {p.events: p.r for p in place_map.points}
    assert radius[3] == 16.0 and abs(radius[1] - 16 / 3**0.5) < 0.1
    # factory -> warehouse (the shipment's destination), warehouse -> shop A, numbered
    moves = [(a.order, a.source.label, a.target.label) for a in place_map.arrows]
    assert moves == [(1, communes[0].name, communes[1].name), (2, communes[1].name, communes[2].name)]
    assert html.count('data-testid="trace-map-arrow"') == 2
    # the commune without coordinates is named under the map, not guessed
    caption = re.search(r'data-testid="trace-map-unplaced">([^<]*)<', html).group(1)
    assert caption == f"1 xã, phường chưa có tọa độ: {communes[3].name}."
    # north is up, east is right; accessible: a title and a description
    factory, warehouse, shop = place_map.points
    assert factory.y < warehouse.y < shop.y and factory.x < warehouse.x < shop.x
    assert '<title id="trace-map-title">Bản đồ nơi hàng đã qua</title>' in html
    assert f"3 sự kiện tại {communes[0].name}" in place_map.description
    # the scale bar: a round length in km
    assert re.fullmatch(r"[\d.,]+ km", place_map.scale_label) and place_map.scale_px > 0
    assert 'data-testid="trace-places"' in html  # the table stays, the text equivalent


def test_a_geo_uri_place_is_placed_exactly_without_any_commune_coordinates(
    signed_in,
    chain,
    officer_qltt,
    coordinator_sct,
):
    _run_chain(signed_in, chain, officer_qltt)
    _post(
        signed_in(officer_qltt),
        document(
            object_event(
                ITEMS[3:],
                "inspecting",
                "2026-12-07T08:00:00+07:00",
                bizLocation={"id": "geo:12.6675,108.0383"},
            )
        ),
    )
    response, html = _page(signed_in(coordinator_sct))
    place_map = response.context["place_map"]
    assert place_map.drawn
    (point,) = place_map.points
    assert point.exact and (point.lat, point.lon) == (12.6675, 108.0383)
    assert 'data-key="geo:12.66750,108.03830"' in html
    # the four communes of the chain have no coordinates: all four named
    assert place_map.caption.startswith("4 xã, phường chưa có tọa độ: ")


def test_geo_uris_are_read_as_rfc_5870_says():
    assert geomap.geo_point("geo:12.6675,108.0383") == (12.6675, 108.0383)
    assert geomap.geo_point("geo:12.6675,108.0383,450;u=20") == (12.6675, 108.0383)
    assert geomap.geo_point("GEO:-8.5,115.2;crs=wgs84") == (-8.5, 115.2)
    assert geomap.geo_point("geo:12.6,108.0;crs=local") is None  # another reference system
    assert geomap.geo_point("geo:95,108") is None
    assert geomap.geo_point("urn:epc:id:sgln:8934588.00001.0") is None
    assert geomap.geo_point("") is None
