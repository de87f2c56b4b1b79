import io
import random

import pytest

from canhgiac.tips import demo
from canhgiac.tips.models import Tip

pytestmark = pytest.mark.django_db


def test_demo_tips_cover_channels_and_statuses_and_load_once():
    from canhgiac.accounts.demo import ensure_demo_accounts

    ensure_demo_accounts()
    out = io.StringIO()
    demo.load(random.Random(389), out)
    tips = Tip.objects.all()
    assert tips.count() == 48
    assert {t.channel for t in tips} == set(Tip.Channel.values)
    assert {t.status for t in tips} == set(Tip.Status.values)
    assert tips.filter(anonymous=False).exclude(contact_encrypted="").exists()
    assert any(t.overdue_kind() for t in tips)
    demo.load(random.Random(389), out)
    assert Tip.objects.count() == 48


def test_demo_tips_are_accepted_in_the_past_not_when_the_demo_was_loaded():
    """Every accepted demo tip is dated hours after its receipt, so a past period's figures show
    the tips accepted then (issue 11, item 4: "thụ lý 0 tin" next to resolved tips)."""
    import datetime as dt

    from canhgiac.accounts.demo import ensure_demo_accounts

    ensure_demo_accounts()
    demo.load(random.Random(389), io.StringIO())
    accepted = Tip.objects.exclude(accepted_at=None)
    assert accepted.exists()
    for tip in accepted:
        assert tip.received_at <= tip.accepted_at <= tip.received_at + dt.timedelta(hours=60), tip.code
        assert tip.closed_at is None or tip.accepted_at <= tip.closed_at, tip.code
