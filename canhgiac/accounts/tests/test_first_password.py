"""A password someone else chose (import-users, the admin site, an administrator's reset) must be
changed at first sign-in: until then the user reaches only the Vietnamese change-password page
(and sign-out); API tokens are unaffected; the change is audited. Demo accounts are not forced."""

import pytest

from canhgiac.accounts import provisioning
from canhgiac.accounts.models import User
from canhgiac.audit.models import AuditEvent
from canhgiac.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW = "Mat-khau-rieng-cua-toi-2026"


def _import_one(username="can_bo_moi"):
    data = f"username,full_name,email,phone,province,agency,role\n{username},Nguyễn Văn Mới,,,,QLTT,officer\n"
    result = provisioning.import_users(data.encode(), "nguoi-dung.csv")
    assert result.ok, result.errors
    return User.objects.get(username=username), dict(result.passwords)[username]


def _sign_in(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_an_imported_user_must_change_the_first_time_password(client):
    user, first = _import_one()
    assert user.must_change_password
    assert _sign_in(client, user.username, first).status_code == 302
    for url in ("/app/", "/cases/", "/tips/", "/accounts/profile/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/password/"), url
    page = client.get("/accounts/password/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Đổi mật khẩu" in html and "người khác đặt" in html
    # the API by session is refused too
    api = client.get("/api/v1/accounts/me")
    assert api.status_code == 403 and "đổi mật khẩu" in api.json()["detail"]
    assert client.get("/api/v1/openapi.json").status_code == 401


def test_changing_it_opens_the_system_and_is_audited(client):
    user, first = _import_one()
    _sign_in(client, user.username, first)
    response = client.post(
        "/accounts/password/",
        {"old_password": first, "new_password1": NEW, "new_password2": NEW, "next": "/cases/"},
    )
    assert response.status_code == 302 and response["Location"] == "/cases/"
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password(NEW)
    assert client.get("/cases/").status_code == 200  # still signed in
    event = AuditEvent.objects.filter(action="accounts.password_changed", object_id=str(user.pk)).get()
    assert event.changes == {"first_time": True} and event.actor_id == user.pk


def test_the_new_password_must_differ_and_pass_the_validators(client):
    user, first = _import_one()
    _sign_in(client, user.username, first)
    same = client.post(
        "/accounts/password/", {"old_password": first, "new_password1": first, "new_password2": first}
    )
    assert same.status_code == 200 and "phải khác mật khẩu hiện tại" in same.content.decode()
    short = client.post(
        "/accounts/password/", {"old_password": first, "new_password1": "abc", "new_password2": "abc"}
    )
    assert short.status_code == 200
    wrong = client.post(
        "/accounts/password/", {"old_password": "sai", "new_password1": NEW, "new_password2": NEW}
    )
    assert "Mật khẩu hiện tại không đúng" in wrong.content.decode()
    user.refresh_from_db()
    assert user.must_change_password


def test_an_api_token_keeps_working_before_the_change(client):
    from canhgiac.accounts import services

    user, _first = _import_one()
    _token, raw = services.issue_token(user, "hệ thống")
    response = client.get("/api/v1/accounts/me", headers={"Authorization": f"Bearer {raw}"})
    assert response.status_code == 200


def test_an_account_created_or_reset_on_the_admin_site_must_change_its_password(client, make_user):
    admin = User.objects.create_superuser("quan_tri", "qt@example.vn", PASSWORD)
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "username": "tao_tren_admin",
            "password1": NEW,
            "password2": NEW,
            "usable_password": "true",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(username="tao_tren_admin").must_change_password
    officer = make_user("can_bo_cu")
    assert not officer.must_change_password
    response = client.post(
        f"/admin/accounts/user/{officer.pk}/password/",
        {"password1": NEW, "password2": NEW, "usable_password": "true"},
    )
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.must_change_password and officer.check_password(NEW)


def test_demo_accounts_are_not_forced(client):
    from canhgiac.accounts import demo

    accounts = demo.ensure_demo_accounts()
    assert not User.objects.filter(must_change_password=True).exists()
    _sign_in(client, "officer_qltt", accounts["password"])
    assert client.get("/cases/").status_code == 200
