"""Accounts: users, memberships, two-factor devices and API tokens."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from canhgiac.accounts.models import ApiToken, Membership, User, hash_token
from canhgiac.audit import services as audit
from canhgiac.directory.models import AdministrativeUnit, Agency


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


def set_first_time_password(user, password: str) -> None:
    """A password someone else chose (import-users, the admin site, an administrator's reset):
    the user must change it at the next sign-in. Saved by the caller (audited as a change)."""
    user.set_password(password)
    user.must_change_password = True


def change_own_password(request, form) -> None:
    """The signed-in user sets their own password (form: OwnPasswordForm, validated); the
    must-change flag is cleared, the session kept, and the change audited."""
    from django.contrib.auth import update_session_auth_hash

    from canhgiac.audit import services as audit

    with transaction.atomic():
        user = form.save(commit=False)
        forced = user.must_change_password
        user.must_change_password = False
        user.save()
        audit.record("accounts.password_changed", obj=user, actor=user, changes={"first_time": forced})
    update_session_auth_hash(request, user)


def issue_token(user, name: str, expires_at=None) -> tuple[ApiToken, str]:
    with transaction.atomic():
        return ApiToken.issue(user, name, expires_at)


MAX_TOKEN_DAYS = 3650


def create_token_for(username: str, days: int = 365, name: str = "") -> tuple[ApiToken, str]:
    """An API token for an active user, valid `days` days (1..3650), for `canhgiac create-token`.
    The raw token is returned once; only its hash is kept. Raises ValueError (Vietnamese)."""
    user = User.objects.filter(username=(username or "").strip()).first()
    if user is None:
        raise ValueError(_("Không có người dùng “%(username)s”.") % {"username": username})
    if not user.is_active:
        raise ValueError(_("Người dùng “%(username)s” đã bị khóa.") % {"username": username})
    if not isinstance(days, int) or not 1 <= days <= MAX_TOKEN_DAYS:
        raise ValueError(_("--days phải là số ngày từ 1 đến %(max)s.") % {"max": MAX_TOKEN_DAYS})
    expires_at = timezone.now() + dt.timedelta(days=days)
    with transaction.atomic():
        token, raw = ApiToken.issue(user, (name or _("Dòng lệnh create-token"))[:100], expires_at)
        audit.record(
            "accounts.token_created",
            obj=token,
            changes={"user": user.username, "days": days, "expires_at": expires_at, "prefix": token.prefix},
        )
    return token, raw


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


# --- Agencies by the code users see ----------------------------------------------------------


def loaded_provinces():
    return AdministrativeUnit.objects.filter(parent=None).order_by("code")


def province_for(codename: str = ""):
    """The province named by its `vietnam-provinces` codename; without one, the only province loaded.
    None when unknown, or when several are loaded and none is named."""
    codename = (codename or "").strip()
    if codename:
        return loaded_provinces().filter(codename=codename).first()
    provinces = list(loaded_provinces()[:2])
    return provinces[0] if len(provinces) == 1 else None


def agency_for_code(code: str, province=None) -> Agency | None:
    """The agency a code given at a door (API, import files, commands) names: its short code
    (QLTT, CA, UBND-<unit code>, as `GET /api/v1/accounts/me` shows it) within `province`; None
    when it names none or several (directory.services.agency_by_code)."""
    from canhgiac.directory import services as directory

    return directory.agency_by_code(code, province)


def province_coordinators(province):
    """Active users with the coordinator role in an agency of `province` (the Standing Office)."""
    from canhgiac.accounts.models import User
    from canhgiac.core import policy

    return list(
        User.objects.filter(
            is_active=True,
            memberships__is_active=True,
            memberships__role=policy.COORDINATOR,
            memberships__agency__province=province,
        ).distinct()
    )
