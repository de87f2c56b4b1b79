"""Accounts: users, memberships, two-factor devices and API tokens."""

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from canhgiac.accounts.models import ApiToken, Membership, User, hash_token
from canhgiac.audit import services as audit


@transaction.atomic
def create_user(
    username: str,
    password: str | None,
    *,
    full_name: str = "",
    email: str = "",
    memberships: list[tuple] = (),
    is_superuser: bool = False,
) -> User:
    user = User(
        username=username, full_name=full_name, email=email, is_superuser=is_superuser, is_staff=is_superuser
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    for agency, role in memberships:
        Membership.objects.create(user=user, agency=agency, role=role)
    return user


def issue_token(user, name: str, expires_at=None) -> tuple[ApiToken, str]:
    with transaction.atomic():
        return ApiToken.issue(user, name, expires_at)


def revoke_token(user, token_id: int) -> None:
    with transaction.atomic():
        token = ApiToken.objects.get(pk=token_id, user=user)
        token.revoked = True
        token.save()


def user_for_token(raw: str):
    """The active user owning a usable token, or None. Records the last use."""
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(raw or "")).first()
    if token is None or not token.usable or not token.user.is_active:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token.user


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def start_totp_setup(user) -> TOTPDevice:
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Ứng dụng xác thực", confirmed=False)


def confirm_totp(user, device: TOTPDevice, token: str) -> bool:
    if not device.verify_token((token or "").strip()):
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save()
        audit.record("accounts.two_factor_enabled", obj=user, actor=user)
    return True
