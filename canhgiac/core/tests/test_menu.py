"""The menu shows each kind of account its own areas: staff the staff pages, a business user the
business area, a signer without staff role or business only the signer area."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _menu(signed_in, user) -> set[str]:
    response = signed_in(user).get(reverse("accounts:profile"))
    assert response.status_code == 200
    return {item.url_name for item in response.context["nav_items"]}


def test_a_signer_without_a_staff_role_sees_only_the_signer_area(signed_in, make_user):
    signer = make_user("ca_si_a")
    menu = _menu(signed_in, signer)
    assert "online:sign" in menu
    assert not menu & {"plans:list", "reporting:index", "directory:matrix", "goods:products", "cases:list"}


def test_a_business_user_sees_the_business_area_not_the_signer_area(signed_in, business_user):
    menu = _menu(signed_in, business_user)
    assert "goods:business_home" in menu
    assert not menu & {"online:sign", "plans:list", "reporting:index", "directory:matrix"}


def test_staff_see_the_staff_pages_not_the_signer_area(signed_in, officer_qltt, officer_qltt_lang_son):
    for officer in (officer_qltt, officer_qltt_lang_son):
        menu = _menu(signed_in, officer)
        assert {"cases:list", "plans:list"} <= menu and "online:sign" not in menu
