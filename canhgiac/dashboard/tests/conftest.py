import pytest

from canhgiac.core.tests.conftest import coordinator_lang_son, lang_son, ls  # noqa: F401


@pytest.fixture(autouse=True)
def _tip_limits(settings, tmp_path):
    settings.TIP_MEDIA_DIR = str(tmp_path / "tips-media")
    settings.TIP_RATE_LIMIT_PER_HOUR = 1000


@pytest.fixture
def units(db):
    from canhgiac.directory.models import AdministrativeUnit

    return list(AdministrativeUnit.objects.exclude(parent=None).order_by("code")[:3])


@pytest.fixture
def world(db, units):
    """Cases this year and last year (one online), and tips, in Đắk Lắk, recorded in system scope."""
    from django.utils import timezone

    from canhgiac.cases import services as cases
    from canhgiac.tips import services as tips

    today = timezone.localdate()
    this_year = today.replace(day=1)
    last_year = this_year.replace(year=today.year - 1)

    def case(
        day, unit, agency="QLTT", violation="counterfeit", category="cosmetics", value=1_000_000, **extra
    ):
        return cases.create_case(
            None,
            {
                "lead_agency_code": agency,
                "detected_on": day.isoformat(),
                "unit_code": unit.code,
                "violation_type": violation,
                "summary": "Vụ mẫu",
                "goods": [
                    {
                        "goods_category": category,
                        "description": "Hàng mẫu",
                        "quantity": "1",
                        "unit": "hộp",
                        "value_vnd": value,
                    }
                ],
                **extra,
            },
        )

    made = [
        case(this_year, units[0]),
        case(this_year, units[0], agency="CA", violation="smuggling", category="fuel", value=5_000_000),
        case(this_year, units[1], online_platform="Facebook", value=2_000_000),
        case(last_year, units[0], value=700_000),
    ]
    tip, _secret = tips.submit_public(
        {"description": "Cửa hàng bán mỹ phẩm giả.", "unit_code": units[0].code}
    )
    return {"cases": made, "tip": tip, "today": today}
