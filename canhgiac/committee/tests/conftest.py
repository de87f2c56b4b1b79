"""Two provinces: Đắk Lắk (loaded for the session; its Standing Office is SCT) and Lạng Sơn
(loaded per test; its Standing Office is QLTT)."""

import pytest

from canhgiac.core import policy


@pytest.fixture
def lang_son(db, settings):
    from canhgiac.directory import services as directory

    settings.CANHGIAC_PROVINCES = ["dak_lak", "lang_son"]
    return directory.setup_province("lang_son")


@pytest.fixture
def coordinator_lang_son(make_user, lang_son):
    return make_user("coordinator_lang_son", f"{lang_son.code}:QLTT", policy.COORDINATOR)


@pytest.fixture
def dak_lak():
    from canhgiac.directory.models import AdministrativeUnit

    return AdministrativeUnit.objects.get(codename="dak_lak", parent=None)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path
