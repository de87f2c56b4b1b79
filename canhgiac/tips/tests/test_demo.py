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
