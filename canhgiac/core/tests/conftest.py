"""Two provinces, and personas in both: Đắk Lắk (loaded for the session) and Lạng Sơn (loaded
per test, inside its transaction). Lạng Sơn's Standing Office is Market Surveillance (QLTT)."""

import io

import pytest
from django.core.management import call_command

from canhgiac.conftest import PASSWORD
from canhgiac.core import policy


@pytest.fixture
def lang_son(db, settings):
    from canhgiac.directory import services as directory

    settings.CANHGIAC_PROVINCES = ["dak_lak", "lang_son"]
    return directory.setup_province("lang_son")


@pytest.fixture
def ls(lang_son):
    """ls("QLTT") -> the Lạng Sơn agency with that short code."""
    from canhgiac.directory.models import Agency

    return lambda code: Agency.objects.get(province=lang_son, code=code)


@pytest.fixture
def coordinator_lang_son(make_user, lang_son):
    return make_user("coordinator_lang_son", f"{lang_son.code}:QLTT", policy.COORDINATOR)


@pytest.fixture
def officer_qltt_lang_son(make_user, lang_son):
    return make_user("officer_qltt_lang_son", f"{lang_son.code}:QLTT", policy.OFFICER)


@pytest.fixture
def leader_qltt_lang_son(make_user, lang_son):
    return make_user("leader_qltt_lang_son", f"{lang_son.code}:QLTT", policy.LEADER)


@pytest.fixture
def admin_lang_son(make_user, lang_son):
    return make_user("admin_lang_son", f"{lang_son.code}:SCT", policy.ADMIN)


@pytest.fixture
def national_admin(db):
    from canhgiac.accounts import services
    from canhgiac.conftest import PASSWORD

    return services.create_user("national_admin", PASSWORD, memberships=[(None, policy.NATIONAL_ADMIN)])


@pytest.fixture
def national_viewer(db):
    from canhgiac.accounts import services
    from canhgiac.conftest import PASSWORD

    return services.create_user("national_viewer", PASSWORD, memberships=[(None, policy.NATIONAL_VIEWER)])


@pytest.fixture
def dak_lak_case(db):
    """A sensitive, unshared case of Đắk Lắk's Market Surveillance, recorded in system scope."""
    from canhgiac.cases import services
    from canhgiac.directory.models import AdministrativeUnit

    unit = AdministrativeUnit.objects.filter(parent__codename="dak_lak").order_by("code").first()
    return services.create_case(
        None,
        {
            "lead_agency_code": "QLTT",
            "detected_on": "2026-03-10",
            "unit_code": unit.code,
            "violation_type": "counterfeit",
            "summary": "Vụ mỹ phẩm giả ở Đắk Lắk",
            "sensitive": True,
        },
    )


@pytest.fixture
def officer(live_server):
    """The reference data and a Market Surveillance officer, for the live server's pages."""
    call_command("setup", "--no-migrate", stdout=io.StringIO())
    from canhgiac.accounts import services
    from canhgiac.directory.models import Agency

    return services.create_user(
        "officer_qltt",
        PASSWORD,
        full_name="Lê Văn Kiểm Soát",
        memberships=[(Agency.objects.get(code="QLTT", province__codename="dak_lak"), policy.OFFICER)],
    )
