"""`canhgiac create-token USERNAME [--days N]`: the token printed once, alone on the last line."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from canhgiac.accounts.models import ApiToken
from canhgiac.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _create(*args):
    out = io.StringIO()
    call_command("create-token", *args, stdout=out)
    return out.getvalue()


def test_the_last_line_is_the_token_and_it_opens_the_api(officer_ca, client):
    out = _create("officer_ca")
    raw = out.rstrip("\n").splitlines()[-1]
    assert raw.startswith("cg_") and raw.strip() == raw and " " not in raw
    token = ApiToken.objects.get(user=officer_ca)
    assert abs(token.expires_at - (timezone.now() + dt.timedelta(days=365))) < dt.timedelta(minutes=1)
    assert raw not in str(token.__dict__)  # only the hash is kept
    me = client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert me.status_code == 200 and me.json()["username"] == "officer_ca"
    assert AuditEvent.objects.filter(action="accounts.token_created", object_id=str(token.pk)).exists()


def test_days_sets_the_expiry(officer_ca):
    _create("officer_ca", "--days", "30")
    token = ApiToken.objects.get(user=officer_ca)
    assert abs(token.expires_at - (timezone.now() + dt.timedelta(days=30))) < dt.timedelta(minutes=1)


@pytest.mark.parametrize("days", ["0", "-3", "abc", "100000"])
def test_bad_days_are_refused_in_vietnamese_and_nothing_is_issued(officer_ca, days):
    with pytest.raises(CommandError, match="--days phải là số ngày từ 1 đến 3650"):
        _create("officer_ca", "--days", days)
    assert not ApiToken.objects.exists()


def test_an_unknown_or_locked_user_is_refused(officer_ca):
    with pytest.raises(CommandError, match="Không có người dùng “khong_co”"):
        _create("khong_co")
    officer_ca.is_active = False
    officer_ca.save()
    with pytest.raises(CommandError, match="đã bị khóa"):
        _create("officer_ca")
    assert not ApiToken.objects.exists()
