import pytest

from canhgiac.core.tests.conftest import (  # noqa: F401  (fixtures of the two-province tests)
    coordinator_lang_son,
    lang_son,
    ls,
    officer_qltt_lang_son,
)

HEADER = "listing_ref,platform,url,shop_name,title,description,price_vnd,category_hint\n"


@pytest.fixture
def listings_csv(tmp_path):
    def write(*lines, name="listings.csv", header=HEADER):
        path = tmp_path / name
        path.write_text(header + "".join(line + "\n" for line in lines), encoding="utf-8")
        return path

    return write


@pytest.fixture
def qltt(agency):
    return agency("QLTT")


@pytest.fixture
def make_listing(qltt):
    from canhgiac.online import services
    from canhgiac.online.models import Platform

    def make(
        title="Giày Nike rep 1:1", description="", shop="Shop Hoa Mai", platform="shopee", user=None, **extra
    ):
        values = {
            "agency": extra.pop("agency", qltt),
            "platform": Platform.objects.get(code=platform),
            "title": title,
            "description": description,
            "shop_name": shop,
            "url": "https://shopee.vn/p/1",
            **extra,
        }
        return services.save_listing(user, values)

    return make
