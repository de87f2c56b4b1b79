"""Seed 004's tip and prosecution targets, with the signs-of-crime mark (issue 11, item 3)."""

import json

import pytest
from django.utils import timezone

from canhgiac.tips import services

pytestmark = pytest.mark.django_db


def test_a_marked_tip_makes_a_marked_case_and_prosecution_counts_it(make_tip, ward, leader_qltt, signed_in):
    from canhgiac.cases import services as cases
    from canhgiac.cases.models import Case

    tip = make_tip(unit_code=ward.code, goods_category="fuel", violation_type="counterfeit")
    services.accept(leader_qltt, tip)
    client = signed_in(leader_qltt)
    page = client.get(f"/tips/{tip.pk}/").content.decode()
    assert 'data-testid="signs-of-crime"' in page
    client.post(f"/tips/{tip.pk}/signs-of-crime/", {"signs_of_crime": "on"})
    tip.refresh_from_db()
    assert tip.signs_of_crime
    case = services.turn_into_case(leader_qltt, tip, unit_code=ward.code, violation_type="smuggling")
    assert Case.objects.get(pk=case.pk).signs_of_crime
    today = timezone.localdate()
    start = today.replace(month=1, day=1)
    assert cases.prosecution_figures(None, start, today) == {
        "signs_of_crime": 1,
        "prosecuted": 0,
        "prosecution_rate": 0.0,
    }
    cases.update_case(leader_qltt, case, {"status": "closed", "outcome": "criminal", "defendants": 1})
    figures = services.targets(leader_qltt, start, today)
    rows = {r["key"]: r for r in figures["rows"]}
    assert (rows["prosecution_rate"]["value"], rows["prosecution_rate"]["part"]) == (100.0, 1)
    assert rows["acceptance_rate"]["value"] == 100.0 and rows["acceptance_rate"]["whole"] == 1
    assert "thụ lý" in str(rows["acceptance_rate"]["formula"])


def test_the_stats_page_shows_each_target_with_its_formula_and_no_developer_doc(
    make_tip, ward, leader_qltt, signed_in
):
    tip = make_tip(unit_code=ward.code, goods_category="fuel", violation_type="counterfeit")
    services.accept(leader_qltt, tip)
    page = signed_in(leader_qltt).get("/tips/stats/").content.decode()
    assert "docs/tips.md" not in page
    for key in ("acceptance_rate", "resolution_rate", "prosecution_rate", "on_time_resolution_rate"):
        assert f'data-target="{key}"' in page
    assert "100,0%" in page and "số tin thụ lý ÷ số tin tiếp nhận trong kỳ" in page
    assert "kỳ trước chuyển sang" in page


def test_the_api_marks_a_tip_and_a_stranger_cannot(make_tip, ward, leader_qltt, officer_ca, signed_in):
    tip = make_tip(unit_code=ward.code, goods_category="fuel", violation_type="counterfeit")
    url = f"/api/v1/tips/staff/{tip.pk}/signs-of-crime"
    body = json.dumps({"signs_of_crime": True})
    response = signed_in(leader_qltt).put(url, body, content_type="application/json")
    assert response.status_code == 200 and response.json()["signs_of_crime"] is True
    assert signed_in(officer_ca).put(url, body, content_type="application/json").status_code in (403, 404)
