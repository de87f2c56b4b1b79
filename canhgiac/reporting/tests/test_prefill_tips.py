"""Pre-fill of the tip indicators and the province's tip figures against the real tips services
(canhgiac.tips, merged): tips sent through the public intake, accepted and resolved through the
tips services, then compared with `tips.services.stats`."""

import datetime as dt

import pytest
from django.utils import timezone

from canhgiac.reporting import consolidation, services

D = dt.date


@pytest.fixture
def tips_recorded(db, settings, tmp_path, tip_handler_qltt):
    from canhgiac.directory.models import AdministrativeUnit
    from canhgiac.tips import services as tips
    from canhgiac.tips.models import Tip

    settings.TIP_MEDIA_DIR = str(tmp_path / "tips-media")
    settings.TIP_RATE_LIMIT_PER_HOUR = 1000
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"reporting-tips-{tmp_path.name}",
        }
    }
    ward = AdministrativeUnit.objects.exclude(parent=None).order_by("code").first()
    made = []
    for i in range(4):
        tip, _secret = tips.submit_public(
            {
                "description": f"Trạm xăng số {i} bán xăng kém chất lượng, pha tạp.",
                "unit_code": ward.code,
                "goods_category": "fuel",
                "online_url": f"https://example.vn/tram-{i}",
            }
        )
        made.append(tip)
    assert {t.lead_agency.code for t in made} == {"QLTT"}  # fuel in the province: QLTT leads
    tips.accept(tip_handler_qltt, made[0])
    tips.accept(tip_handler_qltt, made[1])
    tips.resolve(
        tip_handler_qltt, Tip.objects.get(pk=made[1].pk), "substantiated", "Đã kiểm tra, lập biên bản."
    )
    received = timezone.make_aware(dt.datetime(2026, 2, 10, 9))
    Tip.objects.filter(pk__in=[t.pk for t in made[:3]]).update(received_at=received)
    Tip.objects.filter(pk=made[3].pk).update(received_at=timezone.make_aware(dt.datetime(2025, 2, 10, 9)))
    return made


def test_tip_prefill_equals_tips_stats_for_the_agency(tips_recorded, make_period, agency, officer_qltt):
    from canhgiac.tips import services as tips

    period = make_period(
        data_from=D(2026, 1, 1),
        data_to=D(2026, 3, 31),
        deadline=services.today() + dt.timedelta(days=3),
        commune=False,
    )
    stats = tips.stats(None, D(2026, 1, 1), D(2026, 3, 31), agency_code="QLTT")
    assert stats["received"] == 3  # the service's own count of what was recorded above
    sub = services.open_submission(officer_qltt, period, agency("QLTT"))
    assert (sub.prefill["tips_received"], sub.prefill["tips_accepted"], sub.prefill["tips_resolved"]) == (
        stats["received"],
        stats["accepted"],
        stats["resolved"],
    )


def test_province_tip_figures_compare_with_the_same_window_last_year(tips_recorded, coordinator_sct):
    from canhgiac.tips import services as tips

    report = consolidation.consolidate_window(coordinator_sct, D(2026, 1, 1), D(2026, 3, 31))
    row = {r.code: r for r in report.system}["tips_received"]
    assert row.value == tips.stats(None, D(2026, 1, 1), D(2026, 3, 31))["received"] == 3
    assert row.last_year == tips.stats(None, D(2025, 1, 1), D(2025, 3, 31))["received"] == 1
    assert row.change_pct == 200.0
