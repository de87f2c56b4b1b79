import pytest  # noqa: E402

from canhgiac.core.tests.conftest import coordinator_lang_son, lang_son, ls  # noqa: F401


@pytest.fixture
def units(db):
    from canhgiac.directory.models import AdministrativeUnit

    return list(AdministrativeUnit.objects.filter(parent__codename="dak_lak").order_by("code")[:3])
