import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from canhgiac.accounts.models import RoleSetting
from canhgiac.audit.models import AuditEvent
from canhgiac.conftest import PASSWORD
from canhgiac.core import policy

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_otp_throttle(settings):
    # django-otp delays the next try after a wrong code; these tests retry at once.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def _code(device):
    return str(totp(device.bin_key, device.step, device.t0, device.digits, device.drift)).zfill(6)


def test_sign_in_and_out_are_audited(client, officer_qltt):
    response = client.post("/accounts/login/", {"username": "officer_qltt", "password": PASSWORD})
    assert response.status_code == 302 and response.url == "/app/"
    assert AuditEvent.objects.filter(action="auth.login", actor=officer_qltt).exists()
    client.post("/accounts/logout/")
    assert AuditEvent.objects.filter(action="auth.logout", actor=officer_qltt).exists()


def test_a_wrong_password_is_refused_in_vietnamese_and_audited(client, officer_qltt):
    response = client.post("/accounts/login/", {"username": "officer_qltt", "password": "sai-mat-khau"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()
    assert AuditEvent.objects.filter(action="auth.login_failed", object_repr="officer_qltt").exists()


def test_repeated_failures_lock_the_account_even_with_the_right_password(client, officer_qltt, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "officer_qltt", "password": "sai-mat-khau"})
    response = client.post("/accounts/login/", {"username": "officer_qltt", "password": PASSWORD})
    assert response.status_code == 429
    assert "tạm bị khóa" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_role_that_requires_two_factor_is_sent_to_set_it_up(client, coordinator_sct):
    RoleSetting.objects.create(role=policy.COORDINATOR, require_two_factor=True)
    client.post("/accounts/login/", {"username": "coordinator_sct", "password": PASSWORD})
    response = client.get("/app/")
    assert response.status_code == 302 and response.url.startswith("/accounts/two-factor/")
    page = client.get("/accounts/two-factor/")
    assert "Thiết lập xác thực hai lớp" in page.content.decode()
    device = TOTPDevice.objects.get(user=coordinator_sct, confirmed=False)
    assert (
        client.post(
            "/accounts/two-factor/", {"token": "000000" if _code(device) != "000000" else "111111"}
        ).status_code
        == 200
    )
    device = TOTPDevice.objects.get(user=coordinator_sct, confirmed=False)
    response = client.post("/accounts/two-factor/", {"token": _code(device)})
    assert response.status_code == 302
    assert client.get("/app/").status_code == 200
    assert AuditEvent.objects.filter(action="accounts.two_factor_enabled").exists()


def test_a_user_with_a_device_must_give_the_code_at_sign_in(client, officer_qltt):
    device = TOTPDevice.objects.create(user=officer_qltt, name="x", confirmed=True)
    response = client.post("/accounts/login/", {"username": "officer_qltt", "password": PASSWORD})
    assert response.status_code == 200 and "Xác thực hai lớp" in response.content.decode()
    assert "_auth_user_id" not in client.session
    wrong = client.post("/accounts/login/", {"token": "12345x"})
    assert "_auth_user_id" not in client.session and wrong.status_code == 200
    response = client.post("/accounts/login/", {"token": _code(device)})
    assert response.status_code == 302
    assert client.get("/app/").status_code == 200


def test_roles_without_the_requirement_sign_in_with_a_password_only(client, officer_qltt):
    RoleSetting.objects.create(role=policy.COORDINATOR, require_two_factor=True)
    client.post("/accounts/login/", {"username": "officer_qltt", "password": PASSWORD})
    assert client.get("/app/").status_code == 200


def test_passwords_are_hashed_with_a_strong_hasher(make_user, settings):
    import canhgiac.settings as production_settings

    settings.PASSWORD_HASHERS = production_settings.PASSWORD_HASHERS  # the suite swaps in a fast one
    assert make_user("new_officer", "QLTT", policy.OFFICER).password.startswith("scrypt$")
