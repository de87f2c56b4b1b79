"""Online versus offline cases in the case figures (issue 15, item 4): the page and the API give
`online_split` (the function the dashboard's chart uses), narrowed like the summary."""

import datetime as dt

import pytest

from canhgiac.cases import services

pytestmark = pytest.mark.django_db

YEAR = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


@pytest.fixture
def cases(make_case):
    make_case(online_url="https://shopee.vn/p/9", detected_on="2026-03-10")
    make_case(online_platform="Facebook", detected_on="2026-04-10", agency_code="CA")
    make_case(detected_on="2026-05-10")
    make_case(detected_on="2026-05-11", agency_code="CA")
    make_case(online_url="https://tiki.vn/p/1", detected_on="2025-03-10")  # last year


def test_split_counts_online_and_offline_cases_and_narrows_by_agency(cases):
    split = services.online_split_compared(None, *YEAR)
    assert split["online"]["cases"] == 2 and split["offline"]["cases"] == 2
    assert split["online"]["goods_value_vnd"] == 2_000_000
    assert split["online"]["last_cases"] == 1 and split["online"]["change_pct"] == 100.0
    assert split["offline"]["last_cases"] == 0 and split["offline"]["change_pct"] is None
    ca = services.online_split(None, *YEAR, agency_code="CA")
    assert ca["online"]["cases"] == 1 and ca["offline"]["cases"] == 1
    summary = services.summary(None, *YEAR)["totals"]
    assert split["online"]["cases"] + split["offline"]["cases"] == summary["cases"]


def test_the_page_and_the_api_show_the_split(cases, signed_in, coordinator_sct):
    client = signed_in(coordinator_sct)
    page = client.get("/cases/figures/", {"date_from": "01/01/2026", "date_to": "31/12/2026"})
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="online-split"' in html
    table = html.split('data-testid="online-split"')[1].split("</table>")[0]
    assert "Trên không gian mạng" in table and "Ngoài không gian mạng" in table
    body = client.get("/api/v1/cases/summary", {"from": "2026-01-01", "to": "2026-12-31"}).json()
    assert body["online_split"] == services.online_split_compared(
        coordinator_sct, *YEAR, agency_code=None, unit_code=None, province_code=None
    )
    assert body["online_split"]["online"]["cases"] == 2
