"""Who sees what in the goods database: the two-province rule (Đắk Lắk, Lạng Sơn) and businesses
seeing only their own products."""

import pytest

from canhgiac.conftest import make_business
from canhgiac.core import policy
from canhgiac.core.policy import visible_to
from canhgiac.directory.models import GoodsCategory
from canhgiac.goods.models import Business, Product

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(
    business_user, lang_son, officer_qltt, officer_qltt_lang_son, coordinator_sct, coordinator_lang_son
):
    milk = GoodsCategory.objects.get(code="milk")
    hoa_mai = business_user.business_memberships.get().business
    sen, sen_user = make_business("4000000014", "Công ty Sen", "sen_user")
    lang_son_business, ls_user = make_business(
        "4000000021", "Công ty Lạng Sơn", "ls_user", province="lang_son"
    )
    own = Product.objects.create(gtin="08934588012228", name="Sữa Hoa Mai", category=milk, owner=hoa_mai)
    others = Product.objects.create(gtin="00000096385074", name="Sữa Sen", category=milk, owner=sen)
    ls_product = Product.objects.create(
        gtin="08936012345674", name="Sữa Lạng Sơn", category=milk, owner=lang_son_business
    )
    return {
        "business_user": business_user,
        "sen_user": sen_user,
        "ls_user": ls_user,
        "own": own,
        "others": others,
        "ls_product": ls_product,
        "hoa_mai": hoa_mai,
        "sen": sen,
    }


def test_officers_see_every_product_of_their_province_only(world, officer_qltt, officer_qltt_lang_son):
    assert set(visible_to(officer_qltt, Product.objects.all())) == {world["own"], world["others"]}
    assert set(visible_to(officer_qltt_lang_son, Product.objects.all())) == {world["ls_product"]}
    assert policy.can(officer_qltt, "view", world["own"])
    assert not policy.can(officer_qltt_lang_son, "view", world["own"])
    assert not policy.can(officer_qltt, "view", world["ls_product"])


def test_officers_do_not_change_products_but_their_coordinators_do(
    world, officer_qltt, coordinator_sct, coordinator_lang_son
):
    assert not policy.can(officer_qltt, "change", world["own"])
    assert policy.can(coordinator_sct, "change", world["own"])
    assert not policy.can(coordinator_lang_son, "change", world["own"])
    assert policy.can(coordinator_lang_son, "change", world["ls_product"])


def test_a_business_user_sees_and_changes_only_their_own_products(world):
    user = world["business_user"]
    assert list(visible_to(user, Product.objects.all())) == [world["own"]]
    assert policy.can(user, "change", world["own"])
    assert not policy.can(user, "view", world["others"]) and not policy.can(user, "change", world["others"])
    assert policy.can(user, "add", Product, business=world["hoa_mai"])
    assert not policy.can(user, "add", Product, business=world["sen"])
    assert list(visible_to(user, Business.objects.all())) == [world["hoa_mai"]]


def test_a_business_in_lang_son_is_its_province_officers_business(world, officer_qltt, officer_qltt_lang_son):
    assert world["hoa_mai"] in visible_to(officer_qltt, Business.objects.all())
    assert world["hoa_mai"] not in visible_to(officer_qltt_lang_son, Business.objects.all())


def test_another_business_product_page_is_not_found_for_a_business_user(world, signed_in):
    client = signed_in(world["sen_user"])
    assert client.get(f"/goods/products/{world['own'].pk}/").status_code == 404
    assert client.get(f"/goods/products/{world['own'].pk}/edit/").status_code == 404
    assert client.get(f"/goods/products/{world['others'].pk}/").status_code == 200
    listing = client.get("/goods/products/").content.decode()
    assert "Sữa Sen" in listing and "Sữa Hoa Mai" not in listing


def test_the_product_list_of_an_officer_keeps_to_the_province(world, officer_qltt_lang_son, signed_in):
    listing = signed_in(officer_qltt_lang_son).get("/goods/products/").content.decode()
    assert "Sữa Lạng Sơn" in listing and "Sữa Hoa Mai" not in listing
    api = signed_in(officer_qltt_lang_son).get("/api/v1/goods/products").json()
    assert [p["name"] for p in api] == ["Sữa Lạng Sơn"]


def test_filters_find_by_folded_name_and_gtin(world, officer_qltt, signed_in):
    client = signed_in(officer_qltt)
    assert "Sữa Hoa Mai" in client.get("/goods/products/?q=sua+hoa").content.decode()
    page = client.get("/goods/products/?q=96385074").content.decode()
    assert "Sữa Sen" in page and "Sữa Hoa Mai" not in page
