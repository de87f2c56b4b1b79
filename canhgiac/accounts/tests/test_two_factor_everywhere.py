"""The second factor the pages require is required by the API (by session) and the admin site too."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from canhgiac.accounts import services
from canhgiac.accounts.models import RoleSetting
from canhgiac.conftest import PASSWORD
from canhgiac.core import policy

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_otp_throttle(settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def _code(device):
    return str(totp(device.bin_key, device.step, device.t0, device.digits, device.drift)).zfill(6)


def _device(user):
    return TOTPDevice.objects.create(user=user, name="điện thoại", confirmed=True)


def test_the_two_factor_setting_is_off_by_default_for_every_role(client, coordinator_sct):
    assert not RoleSetting.objects.filter(require_two_factor=True).exists()
    client.post("/accounts/login/", {"username": "coordinator_sct", "password": PASSWORD})
    assert client.get("/api/v1/accounts/me").status_code == 200


def test_the_api_refuses_a_session_without_the_required_second_factor(client, coordinator_sct):
    RoleSetting.objects.create(role=policy.COORDINATOR, require_two_factor=True)
    client.post("/accounts/login/", {"username": "coordinator_sct", "password": PASSWORD})
    response = client.get("/api/v1/accounts/me")
    assert response.status_code == 403
    assert "Cần xác thực hai lớp" in response.json()["detail"]
    # After the code is verified in the session, the same session passes.
    device = _device(coordinator_sct)
    client.post("/accounts/two-factor/", {"token": _code(device)})
    assert client.get("/api/v1/accounts/me").status_code == 200


def test_tokens_are_not_held_to_the_second_factor(client, coordinator_sct):
    RoleSetting.objects.create(role=policy.COORDINATOR, require_two_factor=True)
    _token, raw = services.issue_token(coordinator_sct, "hệ thống báo cáo", None)
    assert client.get("/api/v1/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200


def test_the_admin_has_no_sign_in_of_its_own(client):
    response = client.get("/admin/login/?next=/admin/directory/")
    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=%2Fadmin%2Fdirectory%2F"


def test_a_password_posted_to_admin_login_signs_nobody_in(client, django_user_model):
    staff = django_user_model.objects.create_user(
        "quantri", password=PASSWORD, is_staff=True, is_superuser=True
    )
    response = client.post("/admin/login/", {"username": "quantri", "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302
    # Through our sign-in, a staff member with a device gives the code, then reaches the admin.
    device = _device(staff)
    page = client.post("/accounts/login/", {"username": "quantri", "password": PASSWORD, "next": "/admin/"})
    assert "_auth_user_id" not in client.session and page.status_code == 200
    response = client.post("/accounts/login/", {"token": _code(device), "next": "/admin/"})
    assert response.status_code == 302 and response.url == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_the_admin_requires_the_second_factor_when_the_role_does(client, django_user_model):
    RoleSetting.objects.create(role=policy.ADMIN, require_two_factor=True)
    django_user_model.objects.create_user("quantri", password=PASSWORD, is_staff=True, is_superuser=True)
    client.post("/accounts/login/", {"username": "quantri", "password": PASSWORD})
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url.startswith("/accounts/two-factor/")


def test_a_signed_in_user_who_is_not_staff_is_refused_the_admin(client, officer_qltt):
    client.post("/accounts/login/", {"username": "officer_qltt", "password": PASSWORD})
    assert client.get("/admin/login/?next=/admin/").status_code == 403
