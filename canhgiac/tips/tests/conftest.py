import pytest


@pytest.fixture(autouse=True)
def _tips_settings(settings, tmp_path):
    settings.TIP_MEDIA_DIR = str(tmp_path / "tips-media")
    settings.TIP_RATE_LIMIT_PER_HOUR = 1000
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"tips-{tmp_path.name}",
        }
    }


@pytest.fixture
def tip_data():
    return lambda **extra: {
        "description": "Cửa hàng bán mỹ phẩm giả nhãn hiệu nổi tiếng, không có hóa đơn.",
        **extra,
    }


@pytest.fixture
def make_tip(db, tip_data):
    from canhgiac.tips import services

    def make(**extra):
        tip, secret = services.submit_public(tip_data(**extra))
        tip.secret = secret
        return tip

    return make


@pytest.fixture
def ward(db):
    from canhgiac.directory.models import AdministrativeUnit

    return AdministrativeUnit.objects.exclude(parent=None).order_by("code").first()
