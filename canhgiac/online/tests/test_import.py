"""The import contract: columns, line-numbered errors, all or nothing, idempotent, scored before
returning; the export's header; the two commands."""

import csv
import io

import pytest
from django.core.management import call_command

from canhgiac.audit.models import AuditEvent
from canhgiac.online import services
from canhgiac.online.models import Listing, OnlineAccount

pytestmark = pytest.mark.django_db

GOOD = [
    "L1,shopee,https://shopee.vn/p/1,Shop Hoa Mai,Giày Nike rep 1:1,full box,450000,textiles_footwear",
    "L2,tiktok_shop,https://tiktok.com/@a/1,Tiệm Nhà Bơ,Cà phê Buôn Ma Thuột 500g,Rang mộc,160.000,",
    "L3,facebook,,Thuoc Gia Re,Thuốc giảm đau Panadol Extra,giao nhanh,120000,drugs",
]


def _import(path, agency=None, user=None):
    return services.import_listings(
        user, path.read_bytes(), path.name, agency=agency or services.default_agency("QLTT")
    )


def test_import_creates_accounts_and_scores_every_listing_before_returning(listings_csv):
    result = _import(listings_csv(*GOOD))
    assert result.ok and (result.created, result.updated, result.unchanged) == (3, 0, 0)
    assert result.flagged == 2
    l1, l2, l3 = Listing.objects.order_by("listing_ref")
    assert l1.flagged and l1.risk_score >= 60 and l1.reasons
    assert not l2.flagged and l2.risk_score == 0 and l2.price_vnd == 160_000
    assert l3.flagged and any("số đăng ký" in r for r in l3.reasons)
    assert OnlineAccount.objects.filter(handle="Shop Hoa Mai", platform__code="shopee").exists()
    assert AuditEvent.objects.filter(action="online.listing.create").count() == 3


def test_import_again_changes_nothing_and_a_changed_row_is_updated_and_rescored(listings_csv):
    _import(listings_csv(*GOOD))
    again = _import(listings_csv(*GOOD))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert Listing.objects.count() == 3
    changed = [GOOD[0], GOOD[1].replace("Rang mộc", "Hàng nội địa Trung"), GOOD[2]]
    result = _import(listings_csv(*changed))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    assert Listing.objects.get(listing_ref="L2").flagged


def test_errors_name_their_line_and_column_and_nothing_is_written(listings_csv):
    result = _import(
        listings_csv(
            GOOD[0],
            "L2,amazon,https://a.vn/1,Shop,Áo,,100000,",
            "L3,shopee,not a url,Shop,Áo,,12.34,",
            "L1,shopee,,Shop,,,,unknown_category",
        )
    )
    assert not result.ok
    found = {(e.line, e.column) for e in result.errors}
    assert (3, "platform") in found
    assert (4, "url") in found and (4, "price_vnd") in found
    assert {(5, "listing_ref"), (5, "title"), (5, "category_hint")} <= found
    assert Listing.objects.count() == 0 and OnlineAccount.objects.count() == 0
    assert "amazon" in next(e.message for e in result.errors if e.column == "platform")


def test_missing_columns_are_refused_on_line_one(listings_csv):
    result = _import(listings_csv("L1,shopee,Áo", header="listing_ref,platform,title\n"))
    assert {e.column for e in result.errors} == {
        "url",
        "shop_name",
        "description",
        "price_vnd",
        "category_hint",
    }
    assert all(e.line == 1 for e in result.errors)


def test_officer_imports_for_own_agency_only(listings_csv, officer_ca, officer_qltt):
    path = listings_csv(*GOOD)
    assert not _import(path, user=officer_ca).ok
    assert _import(path, user=officer_qltt).ok


def test_commands_import_then_export_without_a_worker(listings_csv, tmp_path):
    out = io.StringIO()
    call_command("import-listings", str(listings_csv(*GOOD)), stdout=out)
    assert "3 tin mới" in out.getvalue()
    target = tmp_path / "scores.csv"
    call_command("export-listings", "--out", str(target), stdout=io.StringIO())
    text = target.read_text(encoding="utf-8")
    assert text.splitlines()[0] == "listing_ref,risk_score,flagged,reasons"
    rows = {r["listing_ref"]: r for r in csv.DictReader(io.StringIO(text))}
    assert rows["L1"]["flagged"] == "1" and rows["L2"]["flagged"] == "0" and rows["L2"]["risk_score"] == "0"
    assert "rep 1:1" in rows["L1"]["reasons"]


def test_import_command_fails_with_the_line_errors(listings_csv):
    err = io.StringIO()
    with pytest.raises(SystemExit):
        call_command(
            "import-listings", str(listings_csv("L1,amazon,,Shop,Áo,,,")), stderr=err, stdout=io.StringIO()
        )
    assert "Dòng 2" in err.getvalue() and "platform" in err.getvalue()


def test_export_flag_follows_the_configured_threshold(listings_csv, settings):
    _import(listings_csv(*GOOD))
    settings.CANHGIAC_ONLINE_FLAG_THRESHOLD = 101
    out = io.StringIO()
    services.export_listings(out, Listing.objects.all())
    assert all(r["flagged"] == "0" for r in csv.DictReader(io.StringIO(out.getvalue())))


def test_price_rule_against_the_product_registry(listings_csv):
    from canhgiac.conftest import make_business
    from canhgiac.directory.models import GoodsCategory
    from canhgiac.goods.models import Product

    business, _user = make_business("0100233488", "Công ty Hoa Mai", "hoamai")
    Product.objects.create(
        gtin="08934588012228",
        name="Sữa bột Similac IQ số 4 900g",
        brand="Similac",
        category=GoodsCategory.objects.get(code="milk"),
        owner=business,
        reference_price_vnd=620_000,
    )
    _import(
        listings_csv(
            "P1,shopee,,Cô Ba Bán Sữa,Sữa Similac IQ 4 900g,Số công bố 2345/2021/ĐKSP,150000,milk",
            "P2,shopee,,Cô Ba Bán Sữa,Sữa Similac IQ 4 900g,Số công bố 2345/2021/ĐKSP,590000,milk",
        )
    )
    cheap, normal = Listing.objects.order_by("listing_ref")
    assert cheap.flagged and any("giá tham khảo 620.000 đ" in r for r in cheap.reasons)
    assert normal.risk_score == 0


def test_several_shops_of_one_seller_and_seller_in_a_case(make_listing, qltt):
    from canhgiac.cases import services as cases
    from canhgiac.subjects.models import Subject

    a = make_listing("Áo thun cotton", shop="Shop A")
    b = make_listing("Áo thun cotton", shop="Shop B", platform="lazada")
    assert a.risk_score == 0
    seller = Subject.objects.create(kind="online_account", name="Nguyễn Văn Bán", recorded_by_agency=qltt)
    services.link_account(None, a.account, subject=seller)
    services.link_account(None, b.account, subject=seller)
    a.refresh_from_db()
    assert a.risk_score == 10 and any("2 gian hàng" in r for r in a.reasons)
    unit = qltt.province.children.order_by("code").first()
    case = cases.create_case(
        None,
        {
            "lead_agency_code": "QLTT",
            "detected_on": "2026-03-10",
            "unit_code": unit.code,
            "violation_type": "counterfeit",
            "summary": "Vụ bán hàng giả",
        },
    )
    from canhgiac.cases.models import CaseSubject

    CaseSubject.objects.create(case=case, subject=seller, role="seller")
    services.rescore(Listing.objects.filter(pk=a.pk))
    a.refresh_from_db()
    assert a.risk_score == 30 and any("vụ việc" in r for r in a.reasons)


def test_several_shops_count_the_records_of_one_resolved_entity_in_the_province(
    make_listing, qltt, agency, ls
):
    """Two records of one seller (QLTT's and CA's, matched into one entity) each linked to a shop:
    the seller has 2 shops. A Lạng Sơn shop of the same entity is another province's register and
    neither counts nor shows; a record outside the entity does not count."""
    from canhgiac.subjects.models import Entity, Subject

    entity = Entity.objects.create(kind="person")
    by_qltt = Subject.objects.create(
        kind="person", name="Nguyễn Văn Bán", recorded_by_agency=qltt, entity=entity
    )
    by_ca = Subject.objects.create(
        kind="person", name="Nguyễn Văn Bán", recorded_by_agency=agency("CA"), entity=entity
    )
    in_ls = Subject.objects.create(
        kind="person", name="Nguyễn Văn Bán", recorded_by_agency=ls("QLTT"), entity=entity
    )
    namesake = Subject.objects.create(kind="person", name="Nguyễn Văn Bán", recorded_by_agency=qltt)
    a = make_listing("Áo thun cotton", shop="Shop A")
    b = make_listing("Áo thun cotton", shop="Shop B", platform="lazada")
    c = make_listing("Áo thun cotton", shop="Shop C", platform="tiki")
    far = make_listing("Áo thun cotton", shop="Shop Lạng Sơn", agency=ls("QLTT"))
    services.link_account(None, a.account, subject=by_qltt)
    services.link_account(None, c.account, subject=namesake)
    services.link_account(None, far.account, subject=in_ls)
    a.refresh_from_db()
    assert a.risk_score == 0  # one shop so far: the Lạng Sơn one is another province's
    services.link_account(None, b.account, subject=by_ca)  # rescoring the entity's listings
    a.refresh_from_db()
    b.refresh_from_db()
    far.refresh_from_db()
    c.refresh_from_db()
    assert a.risk_score == 10 and any("2 gian hàng" in r for r in a.reasons)
    assert b.risk_score == 10 and any("2 gian hàng" in r for r in b.reasons)
    assert far.risk_score == 0 and far.reasons == []
    assert c.risk_score == 0  # the namesake is not the entity
    # before resolution (no entity), the two records are two sellers
    Subject.objects.filter(pk__in=[by_qltt.pk, by_ca.pk]).update(entity=None)
    services.rescore(Listing.objects.filter(pk__in=[a.pk, b.pk]))
    a.refresh_from_db()
    assert a.risk_score == 0


def test_flagged_before_raises_priority_of_the_sellers_next_listing(make_listing):
    first = make_listing("Giày Nike rep 1:1", shop="Shop Rep")
    assert first.flagged and first.priority == first.risk_score
    second = make_listing("Áo khoác auth", shop="Shop Rep")
    assert not second.flagged and second.priority == second.risk_score + 30
