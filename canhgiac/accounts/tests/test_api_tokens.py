import pytest

from canhgiac.accounts import services
from canhgiac.accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def test_a_token_is_stored_only_as_its_hash(officer_qltt):
    token, raw = services.issue_token(officer_qltt, "Hệ thống Hải quan")
    stored = ApiToken.objects.get(pk=token.pk)
    assert raw not in (stored.key_hash, stored.prefix)
    assert len(stored.key_hash) == 64 and stored.prefix == raw[:10]


def test_the_api_accepts_a_bearer_token_and_refuses_a_wrong_one(client, officer_qltt):
    _token, raw = services.issue_token(officer_qltt, "x")
    ok = client.get("/api/v1/accounts/me", headers={"Authorization": f"Bearer {raw}"})
    assert ok.status_code == 200
    assert ok.json()["memberships"] == [{"agency": "QLTT", "province": "dak_lak", "role": "officer"}]
    bad = client.get("/api/v1/accounts/me", headers={"Authorization": "Bearer cg_wrong"})
    assert bad.status_code == 401
    assert set(bad.json()) == {"detail", "errors"}


def test_a_revoked_token_no_longer_works(client, officer_qltt):
    token, raw = services.issue_token(officer_qltt, "x")
    services.revoke_token(officer_qltt, token.pk)
    assert client.get("/api/v1/accounts/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_the_profile_page_issues_a_token_and_shows_it_once(signed_in, officer_qltt):
    client = signed_in(officer_qltt)
    page = client.post("/accounts/profile/", {"name": "Đồng bộ dữ liệu"}).content.decode()
    raw = page.split('data-testid="new-token">')[1].split("<")[0]
    assert raw.startswith("cg_")
    assert raw not in client.get("/accounts/profile/").content.decode()
    assert client.get("/api/v1/accounts/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
