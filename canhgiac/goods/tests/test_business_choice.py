"""A user acting for several businesses chooses which one the business area issues and marks codes
for (kept in the session, checked by the policy each time); Đắk Lắk and Lạng Sơn."""

import pytest

from canhgiac.conftest import make_business
from canhgiac.directory.models import GoodsCategory
from canhgiac.goods import codes, services, verify
from canhgiac.goods.models import BusinessMember, Product, SerialCode

pytestmark = pytest.mark.django_db
BASE = "https://kiemtra.example.vn"


@pytest.fixture(autouse=True)
def _fresh_caches():
    verify.forget_cached()
    yield
    verify.forget_cached()


@pytest.fixture
def two(business_user, lang_son):
    """business_user acts for Hoa Mai (first by name: "Công ty CP Dược…") and for a second Đắk Lắk
    business; a Lạng Sơn business has its own user."""
    milk = GoodsCategory.objects.get(code="milk")
    hoa_mai = business_user.business_memberships.get().business
    second, _none = make_business("0101245486", "Công ty TNHH Sữa Tây Nguyên")
    BusinessMember.objects.create(user=business_user, business=second)
    ls_business, ls_user = make_business("4000000021", "Công ty Lạng Sơn", "ls_user", province="lang_son")
    products = {
        "hoa_mai": Product.objects.create(
            gtin="08934588012228", name="Sữa Hoa Mai", category=milk, owner=hoa_mai
        ),
        "second": Product.objects.create(
            gtin="08934588012235", name="Sữa Tây Nguyên", category=milk, owner=second
        ),
        "ls": Product.objects.create(
            gtin="08936012345674", name="Sữa Lạng Sơn", category=milk, owner=ls_business
        ),
    }
    batches = {}
    for key, user in (("hoa_mai", business_user), ("second", business_user), ("ls", ls_user)):
        batch = codes.request_batch(user, products[key], "L1", 2)
        codes.issue_batch(batch, base=BASE)
        batches[key] = batch
    return {
        "user": business_user,
        "hoa_mai": hoa_mai,
        "second": second,
        "ls_business": ls_business,
        "ls_user": ls_user,
        "products": products,
        "batches": batches,
    }


def serial_of(batch):
    return SerialCode.objects.filter(batch=batch).order_by("serial").values_list("serial", flat=True)[0]


def test_the_first_business_by_name_until_another_is_chosen(two):
    user = two["user"]
    assert [b.pk for b in services.acting_businesses(user)] == [two["hoa_mai"].pk, two["second"].pk]
    assert services.current_business(user) == two["hoa_mai"]
    assert services.current_business(user, two["second"].pk) == two["second"]
    # a stale or foreign id in the session falls back to the first, never to another's business
    assert services.current_business(user, two["ls_business"].pk) == two["hoa_mai"]
    assert services.current_business(two["ls_user"], two["hoa_mai"].pk) == two["ls_business"]


def test_choosing_is_kept_in_the_session_and_marks_and_issues_for_that_business(two, signed_in):
    client = signed_in(two["user"])
    page = client.get("/goods/business/codes/mark/").content.decode()
    assert "Đang làm việc cho doanh nghiệp" in page and "Công ty TNHH Sữa Tây Nguyên" in page
    answer = client.post(
        "/goods/business/choose/", {"business": two["second"].pk, "next": "/goods/business/codes/mark/"}
    )
    assert answer.status_code == 302 and answer["Location"] == "/goods/business/codes/mark/"
    assert client.session[services.BUSINESS_SESSION_KEY] == two["second"].pk
    # marking now acts for the second business: its serial is marked...
    ok = client.post(
        "/goods/business/codes/mark/", {"serials": serial_of(two["batches"]["second"]), "status": "destroyed"}
    )
    assert ok.status_code == 302
    assert SerialCode.objects.get(serial=serial_of(two["batches"]["second"])).status == "destroyed"
    # ...and Hoa Mai's is not this business's: refused, nothing marked
    refused = client.post(
        "/goods/business/codes/mark/",
        {"serials": serial_of(two["batches"]["hoa_mai"]), "status": "destroyed"},
    )
    assert refused.status_code == 200
    assert SerialCode.objects.get(serial=serial_of(two["batches"]["hoa_mai"])).status == "active"
    # the issuing form offers the chosen business's products only, and lists its batches only
    page = client.get("/goods/business/codes/")
    products = list(page.context["form"].fields["product"].queryset)
    assert products == [two["products"]["second"]]
    assert [b.pk for b in page.context["page"]] == [two["batches"]["second"].pk]


def test_a_business_one_does_not_act_for_cannot_be_chosen_in_either_province(two, signed_in, client):
    client = signed_in(two["user"])
    assert client.post("/goods/business/choose/", {"business": two["ls_business"].pk}).status_code == 403
    assert services.BUSINESS_SESSION_KEY not in client.session
    bad = client.post("/goods/business/choose/", {"business": "abc"}, follow=True)
    assert "Hãy chọn một doanh nghiệp trong danh sách." in bad.content.decode()
    ls = signed_in(two["ls_user"])
    assert ls.post("/goods/business/choose/", {"business": two["hoa_mai"].pk}).status_code == 403
    assert ls.post("/goods/business/choose/", {"business": two["ls_business"].pk}).status_code == 302
    assert ls.session[services.BUSINESS_SESSION_KEY] == two["ls_business"].pk


def test_staff_cannot_choose_a_business(two, officer_qltt, signed_in):
    client = signed_in(officer_qltt)
    assert client.post("/goods/business/choose/", {"business": two["hoa_mai"].pk}).status_code == 403
