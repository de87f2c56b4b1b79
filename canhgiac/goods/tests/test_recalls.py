"""Recalls and product warnings (issue 13, item 6): who records them (the lead agency of the
product's field, in two provinces), the product's status, the pages, the API, the command, the
warning drawn from a case's counterfeit goods line, the public page and the Atom feed."""

import datetime
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from canhgiac.audit.models import AuditEvent
from canhgiac.conftest import find_agency, make_business
from canhgiac.core import policy
from canhgiac.core.policy import visible_to
from canhgiac.directory.models import AdministrativeUnit, GoodsCategory
from canhgiac.goods import services
from canhgiac.goods.models import Product, ProductWarning, Recall
from canhgiac.goods.recalls import active_recall

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def milk_product(db):
    business, _user = make_business("4000000014", "Công ty Sen", "sen_user")
    return Product.objects.create(
        gtin="08934588012228",
        name="Sữa Sen",
        category=GoodsCategory.objects.get(code="milk"),
        owner=business,
    )


@pytest.fixture
def officer_syt(make_user):
    """Đắk Lắk's Department of Health leads food safety and health (milk, drugs, cosmetics)."""
    return make_user("officer_syt", "SYT", policy.OFFICER)


@pytest.fixture
def ls_world(lang_son, make_user):
    business, _user = make_business("4000000021", "Công ty Lạng Sơn", "ls_user", province="lang_son")
    product = Product.objects.create(
        gtin="08936012345674",
        name="Sữa Lạng Sơn",
        category=GoodsCategory.objects.get(code="milk"),
        owner=business,
    )
    officer = make_user("officer_syt_ls", f"{lang_son.code}:SYT", policy.OFFICER)
    return {"product": product, "officer": officer}


def _recall(product, lot="", status=Recall.Status.ACTIVE, days_ago=0):
    return Recall.objects.create(
        product=product,
        lot=lot,
        reason="Nhiễm khuẩn",
        agency=find_agency("SYT"),
        issued_on=datetime.date(2026, 12, 1) - datetime.timedelta(days=days_ago),
        status=status,
    )


# --- active_recall: what the public check asks --------------------------------------------------


def test_active_recall_finds_a_lot_recall_only_for_its_lot(milk_product):
    assert active_recall(milk_product, "L1") is None
    lot_recall = _recall(milk_product, lot="L1")
    assert active_recall(milk_product, "L1") == lot_recall
    assert active_recall(milk_product.pk, "L1") == lot_recall
    assert active_recall(milk_product, "l1") is None  # lots are case-sensitive
    assert active_recall(milk_product, "L2") is None
    assert active_recall(milk_product, None) is None  # a lot recall does not cover every pack


def test_active_recall_whole_product_covers_every_lot_and_lifted_ones_do_not_count(milk_product):
    _recall(milk_product, status=Recall.Status.LIFTED)
    assert active_recall(milk_product, "L9") is None
    whole = _recall(milk_product, days_ago=3)
    assert active_recall(milk_product, "L9") == whole
    assert active_recall(milk_product, None) == whole
    assert active_recall(milk_product, "") == whole
    # the lot's own recall explains the answer best, even when older
    lot_recall = _recall(milk_product, lot="L9", days_ago=10)
    assert active_recall(milk_product, "L9") == lot_recall


# --- who records: the lead agency of the product's field, per province --------------------------


def test_only_officers_of_the_lead_agency_of_the_field_record_recalls_in_their_province(
    milk_product, ls_world, officer_syt, officer_qltt, coordinator_sct, officer_qltt_lang_son, business_user
):
    ls_product = ls_world["product"]
    assert services.lead_agency_name(milk_product) == find_agency("SYT").name
    assert policy.can(officer_syt, "add", Recall, product=milk_product)
    assert policy.can(officer_syt, "add", ProductWarning, product=milk_product)
    assert not policy.can(officer_syt, "add", Recall, product=ls_product)
    assert policy.can(ls_world["officer"], "add", Recall, product=ls_product)
    assert not policy.can(ls_world["officer"], "add", Recall, product=milk_product)
    for user in (officer_qltt, coordinator_sct, officer_qltt_lang_son, business_user):
        assert not policy.can(user, "add", Recall, product=milk_product), user
    # a QLTT officer leads the market field: goods of that field are theirs
    fuel = Product.objects.create(
        gtin="00000096385074",
        name="Dầu",
        category=GoodsCategory.objects.get(code="fuel"),
        owner=milk_product.owner,
    )
    assert policy.can(officer_qltt, "add", Recall, product=fuel)
    assert not policy.can(officer_syt, "add", Recall, product=fuel)
    with pytest.raises(Exception) as exc:
        services.record_recall(officer_qltt, milk_product, reason="x")
    assert exc.type.__name__ == "PermissionDenied"


def test_active_recalls_are_public_lifted_ones_stay_with_the_province_and_the_business(
    milk_product, ls_world, officer_qltt, officer_qltt_lang_son, client
):
    from django.contrib.auth.models import AnonymousUser

    active = _recall(milk_product, lot="L1")
    lifted = _recall(milk_product, status=Recall.Status.LIFTED)
    sen_user = milk_product.owner.members.get().user
    everyone = Recall.objects.all()
    assert set(visible_to(AnonymousUser(), everyone)) == {active}
    assert set(visible_to(officer_qltt_lang_son, everyone)) == {active}
    assert set(visible_to(officer_qltt, everyone)) == {active, lifted}
    assert set(visible_to(sen_user, everyone)) == {active, lifted}
    assert set(visible_to(ls_world["officer"], everyone)) == {active}
    assert policy.can(AnonymousUser(), "view", active)
    assert not policy.can(officer_qltt_lang_son, "view", lifted)


# --- the service: status, idempotence, errors, audit --------------------------------------------


def test_a_whole_product_recall_marks_the_product_recalled_and_lifting_puts_it_back(
    milk_product, officer_syt
):
    lot_recall = services.record_recall(officer_syt, milk_product, lot="L1", reason="Lô nhiễm khuẩn")
    milk_product.refresh_from_db()
    assert milk_product.status == Product.Status.ON_SALE
    whole = services.record_recall(officer_syt, milk_product, reason="Chất cấm")
    milk_product.refresh_from_db()
    assert milk_product.status == Product.Status.RECALLED
    assert whole.agency == find_agency("SYT") and whole.issued_by == officer_syt
    # the same recall again: the existing one, nothing new
    assert services.record_recall(officer_syt, milk_product, reason="Chất cấm lần hai") == whole
    assert Recall.objects.count() == 2
    services.lift_recall(officer_syt, whole, reason="Đã khắc phục")
    milk_product.refresh_from_db()
    assert milk_product.status == Product.Status.ON_SALE
    whole.refresh_from_db()
    assert whole.status == "lifted" and whole.lifted_by == officer_syt and whole.lift_reason == "Đã khắc phục"
    assert active_recall(milk_product, "L1") == lot_recall
    assert AuditEvent.objects.filter(action="goods.recall.create").count() == 2
    assert AuditEvent.objects.filter(action="goods.recall.update").count() == 1
    assert AuditEvent.objects.filter(action="goods.product.update").count() == 2


def test_bad_recall_input_is_refused_with_vietnamese_messages_by_field(milk_product, officer_syt):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        services.record_recall(
            officer_syt,
            milk_product,
            lot="lô có dấu và khoảng trắng",
            reason="  ",
            issued_on=datetime.date.today() + datetime.timedelta(days=3),
        )
    fields = exc.value.message_dict
    assert set(fields) == {"lot", "reason", "issued_on"}
    assert "Số lô" in fields["lot"][0]
    whole = services.record_recall(officer_syt, milk_product, reason="x")
    services.lift_recall(officer_syt, whole, reason="y")
    with pytest.raises(ValidationError) as exc:
        services.lift_recall(officer_syt, whole, reason="y")
    assert "đã chấm dứt" in str(exc.value)
    assert Recall.objects.count() == 1


# --- pages --------------------------------------------------------------------------------------


def test_an_officer_of_the_lead_agency_records_and_lifts_a_recall_through_the_pages(
    milk_product, officer_syt, signed_in
):
    client = signed_in(officer_syt)
    page = client.get(reverse("goods:recall_create") + "?gtin=8934588012228")
    assert page.status_code == 200 and "8934588012228" in page.content.decode()
    response = client.post(
        reverse("goods:recall_create"),
        {"gtin": "8934588012228", "lot": "", "reason": "Chất cấm", "issued_on": "01/12/2026"},
    )
    assert response.status_code == 302
    recall = Recall.objects.get()
    assert recall.issued_on == datetime.date(2026, 12, 1)
    detail = client.get(reverse("goods:product", args=[milk_product.pk])).content.decode()
    assert "Chất cấm" in detail and reverse("goods:recall_lift", args=[recall.pk]) in detail
    listing = client.get(reverse("goods:recalls")).content.decode()
    assert "Sữa Sen" in listing
    response = client.post(reverse("goods:recall_lift", args=[recall.pk]), {"lift_reason": ""})
    assert response.status_code == 200 and "Lý do chấm dứt" in response.content.decode()
    response = client.post(reverse("goods:recall_lift", args=[recall.pk]), {"lift_reason": "Đã khắc phục"})
    assert response.status_code == 302
    milk_product.refresh_from_db()
    assert milk_product.status == Product.Status.ON_SALE


def test_an_officer_of_another_agency_gets_a_form_error_naming_the_lead_agency(
    milk_product, officer_qltt, signed_in
):
    client = signed_in(officer_qltt)
    response = client.post(reverse("goods:recall_create"), {"gtin": "8934588012228", "reason": "x"})
    assert response.status_code == 200
    assert find_agency("SYT").name in response.content.decode()
    response = client.post(reverse("goods:recall_create"), {"gtin": "123", "reason": "x"})
    assert "Mã GTIN" in response.content.decode()
    assert not Recall.objects.exists()


def test_a_warning_by_hand_shows_on_the_product_page_and_can_be_withdrawn(
    milk_product, officer_syt, officer_qltt, signed_in, client
):
    own = signed_in(officer_syt)
    response = own.post(
        reverse("goods:warning_create"), {"gtin": "08934588012228", "text": "Hàng giả nhãn Sen"}
    )
    assert response.status_code == 302
    warning = ProductWarning.objects.get()
    assert warning.source == "manual" and warning.agency == find_agency("SYT")
    assert "Hàng giả nhãn Sen" in own.get(reverse("goods:product", args=[milk_product.pk])).content.decode()
    client.logout()
    other = signed_in(officer_qltt)
    assert other.post(reverse("goods:warning_withdraw", args=[warning.pk])).status_code == 403
    other.logout()
    own = signed_in(officer_syt)
    assert own.post(reverse("goods:warning_withdraw", args=[warning.pk])).status_code == 302
    warning.refresh_from_db()
    assert not warning.is_active


# --- API and command line -----------------------------------------------------------------------


def test_the_api_records_and_lists_recalls_for_the_lead_agency_only(
    milk_product, officer_syt, officer_qltt, client
):
    from canhgiac.accounts import services as accounts

    _t, raw = accounts.issue_token(officer_syt, "LIMS")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    body = {"gtin": "8934588012228", "lot": "L1", "reason": "Lô nhiễm khuẩn"}
    response = client.post("/api/v1/goods/recalls", json.dumps(body), content_type="application/json", **auth)
    assert response.status_code == 201, response.content
    assert response.json()["lot"] == "L1" and response.json()["agency"] == "SYT"
    assert response.json()["status"] == "active"
    bad = client.post(
        "/api/v1/goods/recalls",
        json.dumps({"gtin": "8934588012229", "reason": "x"}),
        content_type="application/json",
        **auth,
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "gtin"
    empty = client.post(
        "/api/v1/goods/recalls",
        json.dumps({"gtin": "8934588012228", "reason": " "}),
        content_type="application/json",
        **auth,
    )
    assert empty.status_code == 422 and empty.json()["errors"][0]["field"] == "reason"
    listed = client.get("/api/v1/goods/recalls?gtin=8934588012228", **auth).json()
    assert [r["lot"] for r in listed] == ["L1"]
    assert client.get("/api/v1/goods/recalls?status=nope", **auth).status_code == 422
    _t, other = accounts.issue_token(officer_qltt, "x")
    refused = client.post(
        "/api/v1/goods/recalls",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {other}",
    )
    assert refused.status_code == 403
    assert Recall.objects.count() == 1


def test_the_recall_command_records_a_recall_and_finishes_before_returning(
    milk_product, officer_syt, officer_qltt
):
    out = io.StringIO()
    call_command("recall", gtin="8934588012228", reason="Chất cấm", stdout=out)
    milk_product.refresh_from_db()
    assert milk_product.status == Product.Status.RECALLED
    recall = Recall.objects.get()
    assert recall.issued_by is None and recall.agency == find_agency("SYT")
    assert "Bị thu hồi" in out.getvalue()
    call_command(
        "recall", gtin="8934588012228", lot="L7", reason="Lô lỗi", username="officer_syt", stdout=out
    )
    assert Recall.objects.get(lot="L7").issued_by == officer_syt
    with pytest.raises(CommandError, match="không được ghi nhận"):
        call_command("recall", gtin="8934588012228", reason="x", username="officer_qltt", stdout=out)
    with pytest.raises(CommandError, match="chưa được đăng ký"):
        call_command("recall", gtin="96385074", reason="x", stdout=out)
    with pytest.raises(CommandError, match="GTIN"):
        call_command("recall", gtin="123", reason="x", stdout=out)
    assert Recall.objects.count() == 2


# --- goods lines of cases naming products, and warnings drawn from them -------------------------


def _case(violation_type="counterfeit", gtin="8934588012228"):
    from canhgiac.cases import services as cases

    unit = AdministrativeUnit.objects.filter(parent__codename="dak_lak").order_by("code").first()
    return cases.create_case(
        None,
        {
            "lead_agency_code": "QLTT",
            "detected_on": "2026-11-10",
            "unit_code": unit.code,
            "violation_type": violation_type,
            "summary": "Sữa giả nhãn Sen",
            "goods": [
                {
                    "goods_category": "milk",
                    "description": "Sữa bột giả nhãn Sen",
                    "quantity": "120",
                    "unit": "hộp",
                    "value_vnd": 3_000_000,
                    "product_gtin": gtin,
                }
            ],
        },
    )


def test_a_case_goods_line_names_a_registered_product_by_gtin(milk_product, officer_qltt, signed_in):
    from django.core.exceptions import ValidationError

    case = _case()
    line = case.goods.get()
    assert line.product == milk_product
    with pytest.raises(ValidationError) as exc:
        _case(gtin="96385074")
    assert "chưa được đăng ký" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        _case(gtin="8934588012229")
    assert "GTIN" in str(exc.value)
    client = signed_in(officer_qltt)
    data = client.get(f"/api/v1/cases/{case.pk}").json()
    assert data["goods"][0]["product_gtin"] == "08934588012228"
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("goods:product", args=[milk_product.pk]) in page
    assert 'data-testid="warn-from-line"' not in page  # QLTT does not lead food safety
    product_page = client.get(reverse("goods:product", args=[milk_product.pk])).content.decode()
    assert case.reference in product_page


def test_the_product_page_shows_the_cases_only_to_those_who_see_them(
    milk_product, officer_qltt, officer_qltt_lang_son, signed_in
):
    case = _case()
    assert services.notices_for(officer_qltt, milk_product)["cases"] == [case]
    assert services.notices_for(officer_qltt_lang_son, milk_product)["cases"] == []
    sen_user = milk_product.owner.members.get().user
    assert services.notices_for(sen_user, milk_product)["cases"] == []


def test_the_lead_agency_warns_from_a_counterfeit_goods_line_once(milk_product, officer_syt, signed_in):
    case = _case()
    case.participating_agencies.add(find_agency("SYT"))
    line = case.goods.get()
    client = signed_in(officer_syt)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-testid="warn-from-line"' in page
    response = client.post(reverse("goods:warn_from_case_goods", args=[line.pk]))
    assert response.status_code == 302
    warning = ProductWarning.objects.get()
    assert warning.source == "case" and warning.case_goods == line and warning.product == milk_product
    assert "Sữa bột giả nhãn Sen" in warning.text and case.reference not in warning.text
    client.post(reverse("goods:warn_from_case_goods", args=[line.pk]))
    assert ProductWarning.objects.count() == 1
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'data-testid="line-warned"' in page


def test_no_warning_from_a_line_that_is_not_counterfeit_or_not_seen(milk_product, officer_syt, signed_in):
    from django.core.exceptions import ValidationError

    case = _case(violation_type="smuggling")
    case.participating_agencies.add(find_agency("SYT"))
    line = case.goods.get()
    with pytest.raises(ValidationError, match="hàng giả"):
        services.warn_from_case_goods(officer_syt, line.pk)
    hidden = _case()
    with pytest.raises(ValidationError, match="Không tìm thấy"):
        services.warn_from_case_goods(officer_syt, hidden.goods.get().pk)
    client = signed_in(officer_syt)
    response = client.post(reverse("goods:warn_from_case_goods", args=[line.pk]))
    assert response.status_code == 302 and response.url == reverse("cases:detail", args=[case.pk])
    assert not ProductWarning.objects.exists()


# --- public page, JSON and feed ------------------------------------------------------------------


def test_the_public_product_page_and_its_json_show_active_recalls_and_warnings(
    milk_product, officer_syt, client
):
    services.record_recall(officer_syt, milk_product, lot="L1", reason="Lô nhiễm khuẩn Coliforms")
    services.add_warning(officer_syt, milk_product, text="Cảnh giác sữa giả nhãn Sen")
    lifted = services.record_recall(officer_syt, milk_product, lot="L0", reason="Lô cũ đã xử lý")
    services.lift_recall(officer_syt, lifted, reason="xong")
    page = client.get(f"/01/{milk_product.gtin}").content.decode()
    assert "Lô nhiễm khuẩn Coliforms" in page and "Cảnh giác sữa giả nhãn Sen" in page
    assert "Lô cũ đã xử lý" not in page
    other_lot = client.get(f"/01/{milk_product.gtin}/10/L2").content.decode()
    assert "Lô nhiễm khuẩn Coliforms" not in other_lot
    data = client.get(f"/01/{milk_product.gtin}/10/L1", HTTP_ACCEPT="application/json").json()
    assert data["recalls"] == [
        {
            "lot": "L1",
            "reason": "Lô nhiễm khuẩn Coliforms",
            "agency": find_agency("SYT").name,
            "issued_on": data["recalls"][0]["issued_on"],
        }
    ]
    datetime.date.fromisoformat(data["recalls"][0]["issued_on"])
    assert data["warnings"][0]["text"] == "Cảnh giác sữa giả nhãn Sen"


def test_the_atom_feed_lists_active_recalls_and_warnings_for_anyone(milk_product, officer_syt, client):
    services.record_recall(officer_syt, milk_product, lot="L1", reason="Lô nhiễm khuẩn")
    services.add_warning(officer_syt, milk_product, text="Sữa giả")
    lifted = services.record_recall(officer_syt, milk_product, reason="Đã xong")
    services.lift_recall(officer_syt, lifted, reason="xong")
    response = client.get(reverse("goods:feed"))
    assert reverse("goods:feed") == "/goods/feed.atom"
    assert response.status_code == 200 and response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    titles = [e.find(f"{ATOM}title").text for e in root.findall(f"{ATOM}entry")]
    assert sorted(titles) == sorted(["Thu hồi lô L1: Sữa Sen", "Cảnh báo: Sữa Sen"])
    links = {e.find(f"{ATOM}link").get("href") for e in root.findall(f"{ATOM}entry")}
    assert links == {"http://testserver/01/08934588012228"}


def test_the_portal_links_to_the_feed():
    from canhgiac.portal.registry import PORTAL_LINKS

    assert "goods:feed" in {link["url_name"] for link in PORTAL_LINKS}


def test_the_demo_gives_the_feed_entries_and_runs_twice(client):
    from canhgiac.cases import services as cases
    from canhgiac.goods import demo

    unit = AdministrativeUnit.objects.filter(parent__codename="dak_lak").order_by("code").first()
    case = cases.create_case(
        None,
        {
            "lead_agency_code": "QLTT",
            "detected_on": "2026-11-02",
            "unit_code": unit.code,
            "violation_type": "counterfeit",
            "summary": "Thuốc giả (mẫu)",
            "origin": "demo",
            "goods": [
                {"goods_category": "drugs", "description": "Thuốc giả bán qua mạng", "value_vnd": 1000}
            ],
        },
    )
    out = io.StringIO()
    demo.load_demo(None, out)
    demo.load_demo(None, out)
    assert Recall.objects.filter(status="active").count() == 2
    assert Product.objects.get(gtin="08936012345681").status == Product.Status.RECALLED
    drug = Product.objects.get(gtin="08936012345674")
    assert case.goods.get().product == drug
    assert set(ProductWarning.objects.values_list("source", flat=True)) == {"manual", "case"}
    assert ProductWarning.objects.count() == 2
    root = ET.fromstring(client.get(reverse("goods:feed")).content)
    assert len(root.findall(f"{ATOM}entry")) == 4


def test_the_case_form_names_a_product_by_gtin_with_a_lookup_and_refuses_an_unknown_one(
    milk_product, officer_qltt, signed_in
):
    from canhgiac.cases.models import Case
    from canhgiac.cases.tests.test_views import _form
    from canhgiac.directory.models import ViolationType

    units = list(AdministrativeUnit.objects.filter(parent__codename="dak_lak").order_by("code")[:2])
    client = signed_in(officer_qltt)
    page = client.get("/cases/new/").content.decode()
    assert "data-gtin-lookup" in page and "goods/gtin-lookup.js" in page
    vt = ViolationType.objects.get(code="counterfeit")
    base = {"lead_agency": find_agency("QLTT").pk, "violation_type": vt.pk}
    refused = client.post("/cases/new/", _form(units, **base, **{"goods-0-product_gtin": "96385074"}))
    assert refused.status_code == 200 and "chưa được đăng ký" in refused.content.decode()
    assert not Case.objects.exists()
    saved = client.post("/cases/new/", _form(units, **base, **{"goods-0-product_gtin": "893 4588 01222 8"}))
    assert saved.status_code == 302
    case = Case.objects.get()
    assert case.goods.get().product == milk_product
    edit = client.get(f"/cases/{case.pk}/edit/").content.decode()
    assert 'value="8934588012228"' in edit


def test_the_case_page_asks_the_same_number_of_queries_for_one_or_many_lines_naming_products(
    milk_product, officer_syt, signed_in
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from canhgiac.cases.models import CaseGoods

    case = _case()
    case.participating_agencies.add(find_agency("SYT"))
    client = signed_in(officer_syt)
    url = reverse("cases:detail", args=[case.pk])
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    one = count()
    milk = GoodsCategory.objects.get(code="milk")
    for i in range(5):
        other = Product.objects.create(
            gtin=f"0000000000{i:03d}0", name=f"Sữa {i}", category=milk, owner=milk_product.owner
        )
        CaseGoods.objects.create(case=case, goods_category=milk, description=f"Sữa giả {i}", product=other)
    assert count() == one
