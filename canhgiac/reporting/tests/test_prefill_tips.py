"""Pre-fill of the tip indicators against the real tips services, once canhgiac.tips provides
`stats` (skipped until that app is merged)."""

import datetime as dt

import pytest

from canhgiac.reporting import services


def test_tip_prefill_equals_tips_stats_for_the_agency(make_period, agency, officer_qltt):
    tips = pytest.importorskip("canhgiac.tips.services")
    if not hasattr(tips, "stats"):
        pytest.skip("canhgiac.tips.services.stats is not merged yet")
    period = make_period(
        data_from=dt.date(2026, 1, 1),
        data_to=dt.date(2026, 3, 31),
        deadline=services.today() + dt.timedelta(days=3),
        commune=False,
    )
    stats = tips.stats(None, dt.date(2026, 1, 1), dt.date(2026, 3, 31), agency_code="QLTT")
    sub = services.open_submission(officer_qltt, period, agency("QLTT"))
    assert (sub.prefill["tips_received"], sub.prefill["tips_accepted"], sub.prefill["tips_resolved"]) == (
        stats["received"],
        stats["accepted"],
        stats["resolved"],
    )
