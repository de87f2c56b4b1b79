"""The English catalogue: a user who picks English (language cookie) gets an English UI;
everyone else keeps the Vietnamese default."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_language_cookie_is_the_one_the_middleware_reads():
    assert settings.LANGUAGE_COOKIE_NAME == "django_language"


def test_the_sign_in_page_is_in_english_when_english_is_chosen(english):
    page = english.get("/accounts/login/").content.decode()
    assert 'lang="en"' in page
    assert "Sign in" in page and "Username" in page and "Password" in page
    assert "Đăng nhập" not in page and "Mật khẩu" not in page


def test_the_public_portal_is_in_english_when_english_is_chosen(english):
    page = english.get("/").content.decode()
    assert 'lang="en"' in page
    assert "Together against smuggling, trade fraud and counterfeit goods" in page
    assert "Submit a tip" in page
    assert "Chung tay chống buôn lậu" not in page


def test_the_officer_home_page_is_in_english_when_english_is_chosen(english, officer_qltt):
    english.force_login(officer_qltt, backend="django.contrib.auth.backends.ModelBackend")
    page = english.get("/app/").content.decode()
    assert 'lang="en"' in page and "Operations officer" in page and "Sign out" in page


def test_without_the_cookie_the_pages_stay_vietnamese(client):
    login = client.get("/accounts/login/").content.decode()
    assert 'lang="vi"' in login and "Đăng nhập" in login and "Sign in" not in login
    portal = client.get("/").content.decode()
    assert 'lang="vi"' in portal and "Chung tay chống buôn lậu" in portal


def test_an_unknown_language_in_the_cookie_falls_back_to_vietnamese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    page = client.get("/accounts/login/").content.decode()
    assert 'lang="vi"' in page and "Đăng nhập" in page


def test_the_committed_catalogue_is_complete_and_compiled():
    """Every msgid in django.po has an English msgstr, none is fuzzy, and django.mo holds them all
    (the .mo is committed so servers without gettext still get English)."""
    import gettext
    import re

    folder = settings.LOCALE_PATHS[0] / "en" / "LC_MESSAGES"
    po = (folder / "django.po").read_text(encoding="utf-8")
    entries = [
        block
        for block in po.split("\n\n")
        if "\nmsgid " in "\n" + block and 'msgid ""\nmsgstr ""\n"' not in block
    ]
    assert "#, fuzzy" not in po
    assert not [block for block in entries if re.search(r'^msgstr(\[\d\])? ""$(?!\n")', block, re.M)]
    with open(folder / "django.mo", "rb") as mo:
        catalogue = gettext.GNUTranslations(mo)
    assert catalogue.gettext("Đăng nhập") == "Sign in"
    assert catalogue.ngettext("%(n)s tin báo", "%(n)s tin báo", 2) == "%(n)s tips"
    assert len([k for k in catalogue._catalog if k]) >= len(entries)
