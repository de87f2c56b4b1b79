"""The national viewer reads de-identified aggregates across provinces: the figures pages open
(with a province selector, or all provinces), and no record page, list, form, export or personal
data does. URL × persona for this persona: every URL of the resolver is tried."""

import pytest

from canhgiac.core.tests.test_url_personas import EXPECTATIONS, SECOND_METHODS, _url, world  # noqa: F401

pytestmark = pytest.mark.django_db

# What the national viewer opens: the aggregate pages, their own account pages, the public site.
FIGURES = {
    "app/",
    "cases/figures/",
    "api/v1/cases/summary",
    "tips/stats/",
    "api/v1/tips/stats",
    "reporting/timeliness/",
}
OWN_OR_PUBLIC = {
    "",
    "hotlines/",
    "canh-bao/",
    "canh-bao/atom.xml",
    "so-lieu/",
    "hang-hoa/",
    "huong-dan/",
    "huong-dan/cam-ket/",
    "huong-dan/<slug:slug>/",
    "tim-kiem/",
    "tips/report/",
    "tips/follow/",
    "cases/warnings/",
    "i18n/setlang/",
    "accounts/login/",
    "accounts/logout/",
    "accounts/two-factor/",
    "accounts/profile/",
    "accounts/password/",
    "accounts/tokens/<int:token_id>/revoke/",
    "api/v1/openapi.json",
    "api/v1/docs",
    "healthz",
    "readyz",
    "api/v1/tips",
    "api/v1/tips/<code>",
    "api/v1/tips/<code>/messages",
    "notifications/",
    "api/v1/accounts/me",
    "api/v1/",
}
QUERY = {
    "api/v1/cases/summary": "?from=2026-01-01&to=2026-12-31",
}


def test_every_other_page_and_endpoint_is_closed_to_the_national_viewer(client, national_viewer, world):  # noqa: F811
    people, objs, _labels = world
    client.raise_request_exception = False
    client.force_login(national_viewer, backend="django.contrib.auth.backends.ModelBackend")
    opened = []
    for route, spec in list(EXPECTATIONS.items()) + list(SECOND_METHODS.items()):
        if route in FIGURES or route in OWN_OR_PUBLIC:
            continue
        method, kwargs = spec[0], spec[1]
        url = _url(route, kwargs, objs)
        response = getattr(client, method)(url)
        if response.status_code not in (403, 404):
            opened.append(f"{method.upper()} {url}: {response.status_code}")
    assert not opened, opened


@pytest.mark.parametrize("route", sorted(FIGURES))
def test_the_figures_pages_open_for_the_national_viewer(client, national_viewer, route, lang_son):
    client.force_login(national_viewer, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/" + route + QUERY.get(route, ""))
    assert response.status_code == 200, response.content[:300]


def test_case_figures_span_both_provinces_or_one_chosen(
    client, national_viewer, lang_son, dak_lak_case, officer_qltt_lang_son
):
    from canhgiac.cases import services
    from canhgiac.directory.models import AdministrativeUnit

    unit = AdministrativeUnit.objects.filter(parent=lang_son).order_by("code").first()
    services.create_case(
        officer_qltt_lang_son,
        {
            "lead_agency_code": "QLTT",
            "detected_on": "2026-03-12",
            "unit_code": unit.code,
            "violation_type": "counterfeit",
            "summary": "Vụ ở Lạng Sơn",
        },
    )
    client.force_login(national_viewer, backend="django.contrib.auth.backends.ModelBackend")
    url = "/api/v1/cases/summary?from=2026-01-01&to=2026-12-31"
    assert client.get(url).json()["totals"]["cases"] == 2
    assert client.get(url + f"&province={lang_son.code}").json()["totals"]["cases"] == 1
    page = client.get(
        "/cases/figures/", {"date_from": "01/01/2026", "date_to": "31/12/2026", "province": lang_son.code}
    )
    html = page.content.decode()
    assert page.status_code == 200 and 'name="province"' in html and "Tất cả các tỉnh đã nạp" in html
    assert page.context["form"].cleaned_data["province"] == lang_son.code
    assert 'name="agency"' not in html  # no agency of any province to pick
    # the page shows figures, never a case's reference or summary
    assert dak_lak_case.reference not in html and "Vụ mỹ phẩm giả" not in html


def test_tip_stats_and_timeliness_offer_a_province_selector(client, national_viewer, lang_son):
    client.force_login(national_viewer, backend="django.contrib.auth.backends.ModelBackend")
    stats = client.get("/tips/stats/").content.decode()
    assert 'name="province"' in stats
    timeliness = client.get("/reporting/timeliness/", {"province": lang_son.code})
    assert timeliness.status_code == 200 and timeliness.context["province"] == lang_son


def test_the_dashboard_links_the_national_viewer_to_figures_not_lists(client, national_viewer, dak_lak_case):
    client.force_login(national_viewer, backend="django.contrib.auth.backends.ModelBackend")
    html = client.get("/app/").content.decode()
    assert "/cases/figures/" in html and 'href="/cases/?' not in html


def test_a_province_coordinator_sees_only_their_province_s_timeliness(
    client, coordinator_lang_son, coordinator_sct, lang_son
):
    from canhgiac.core.tests.test_provinces import _quarter

    period = _quarter(coordinator_sct)
    client.force_login(coordinator_lang_son, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get("/reporting/timeliness/", {"year": period.deadline.year})
    assert page.context["province"] == lang_son and period not in page.context["periods"]
