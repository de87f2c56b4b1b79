"""Provisioning accounts from a file: `canhgiac import-users FILE` (issue 9, item 10).

The file is CSV (UTF-8, with or without BOM) or XLSX with one header row and the columns
`username, full_name, email, phone, province, agency, role`. One row is one membership: a user
holding several roles (or agencies) has several rows, whose user columns must agree. `province`
is the `vietnam-provinces` codename (may be empty when one province is loaded); `agency` is the
short code (QLTT, CA, UBND-<unit code>), empty for the national roles. The whole file is checked
first; any error and nothing is written. Every error names its line and column, in Vietnamese.

Re-importing is idempotent: existing users (by username) keep their password, get changed names,
emails or phones updated and missing memberships added (or re-activated); memberships missing
from the file are left alone. New users get a random first-time password, returned once.
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from canhgiac.accounts import services
from canhgiac.accounts.models import Membership, User
from canhgiac.audit import services as audit
from canhgiac.core import policy
from canhgiac.core.tabular import RowError, read_import

COLUMNS = ("username", "full_name", "email", "phone", "province", "agency", "role")
REQUIRED_COLUMNS = ("username", "full_name", "agency", "role")
USER_COLUMNS = ("full_name", "email", "phone")
MAX_ROWS = 20_000
PASSWORD_ALPHABET = "".join(c for c in string.ascii_letters + string.digits if c not in "Il1O0o")


@dataclass
class UserImportResult:
    rows: int = 0
    users: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    memberships_added: int = 0
    passwords: list[tuple[str, str]] = field(default_factory=list)  # (username, first-time password)
    mailed: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def first_time_password() -> str:
    """14 characters from an alphabet without look-alikes (about 80 bits), letters and digits."""
    while True:
        value = "".join(secrets.choice(PASSWORD_ALPHABET) for _i in range(14))
        if any(c.isdigit() for c in value) and any(c.isalpha() for c in value):
            return value


def _validate(rows, *, mail: bool) -> tuple[dict, list[RowError]]:
    errors: list[RowError] = []
    username_ok = UnicodeUsernameValidator()
    roles = set(policy.ROLES) | set(policy.NATIONAL_ROLES)
    plan: dict[str, dict] = {}

    for row in rows:
        line, raw, get = row.line, row.value, row.text

        def err(column, message, _line=line):
            errors.append(RowError(_line, column, message))

        username = get("username")
        if not username:
            err("username", _("bắt buộc."))
        elif len(username) > 150:
            err("username", _("dài quá 150 ký tự."))
        else:
            try:
                username_ok(username)
            except ValidationError:
                err("username", _("chỉ gồm chữ, số và các ký tự @ . + - _ (không dấu cách)."))
        values = {"full_name": get("full_name"), "email": get("email"), "phone": get("phone")}
        if isinstance(raw("phone"), int) and len(values["phone"]) == 9:
            values["phone"] = "0" + values["phone"]  # a number cell dropped the leading zero
        if not values["full_name"]:
            err("full_name", _("bắt buộc."))
        elif len(values["full_name"]) > 150:
            err("full_name", _("dài quá 150 ký tự."))
        if values["email"]:
            try:
                validate_email(values["email"])
            except ValidationError:
                err("email", _("“%(value)s” không phải địa chỉ thư điện tử.") % {"value": values["email"]})
        if values["phone"] and (
            len(values["phone"]) > 20 or not all(c.isdigit() or c in "+ .-()" for c in values["phone"])
        ):
            err("phone", _("chỉ gồm chữ số (và + . - dấu cách), tối đa 20 ký tự."))
        role = get("role").lower()
        if role not in roles:
            err(
                "role",
                _("vai trò “%(role)s” không hợp lệ; dùng một trong: %(roles)s.")
                % {"role": role, "roles": ", ".join((*policy.ROLES, *policy.NATIONAL_ROLES))},
            )
        codename, code = get("province"), get("agency")
        province = services.province_for(codename)
        agency = None
        if codename and province is None:
            err("province", _("không có tỉnh “%(code)s” trong các tỉnh đã nạp.") % {"code": codename})
        if role in policy.NATIONAL_ROLES:
            if code:
                err("agency", _("vai trò toàn quốc không thuộc cơ quan nào: để trống cột này."))
        elif role in roles:
            if not code:
                err("agency", _("bắt buộc (mã cơ quan, ví dụ QLTT hoặc UBND-<mã xã>)."))
            elif province is None and not codename:
                err("province", _("bắt buộc khi đã nạp nhiều tỉnh."))
            elif province is not None:
                agency = services.agency_for_code(code, province)
                if agency is None:
                    err(
                        "agency",
                        _("không có cơ quan mã “%(code)s” ở %(province)s.")
                        % {"code": code, "province": province.name},
                    )
        if mail and not values["email"]:
            err("email", _("bắt buộc khi gửi mật khẩu qua thư (--email)."))
        if not username:
            continue
        entry = plan.get(username)
        if entry is None:
            plan[username] = {"line": line, "values": values, "memberships": []}
        else:
            for column in USER_COLUMNS:
                if values[column] != entry["values"][column]:
                    err(
                        column,
                        _("khác với dòng %(line)s của cùng người dùng %(username)s.")
                        % {"line": entry["line"], "username": username},
                    )
        if role in roles and (agency is not None or role in policy.NATIONAL_ROLES):
            wanted = (agency, role)
            if wanted not in plan[username]["memberships"]:
                plan[username]["memberships"].append(wanted)
    return plan, errors


def import_users(data: bytes, filename: str, *, mail: bool = False) -> UserImportResult:
    """Check the whole file, then write every user and membership in one transaction (or nothing).
    With `mail`, first-time passwords are sent to the users' addresses (after the commit) instead
    of being returned in `passwords`."""
    result = UserImportResult()
    table = read_import(data, filename, required=REQUIRED_COLUMNS, known=COLUMNS, max_rows=MAX_ROWS)
    result.rows = len(table.rows)
    if table.errors:
        result.errors = table.errors
        return result
    plan, errors = _validate(table.rows, mail=mail)
    if errors:
        result.errors = errors
        return result
    result.users = len(plan)
    letters = []
    with transaction.atomic():
        existing = {u.username: u for u in User.objects.filter(username__in=list(plan))}
        for username, entry in plan.items():
            values = entry["values"]
            user = existing.get(username)
            changed = False
            if user is None:
                password = first_time_password()
                user = User(username=username, **values)
                services.set_first_time_password(user, password)
                user.save()
                result.created += 1
                (letters if mail else result.passwords).append((username, password))
            else:
                for key, value in values.items():
                    if getattr(user, key) != value:
                        setattr(user, key, value)
                        changed = True
                if changed:
                    user.save()
            for agency, role in entry["memberships"]:
                membership = Membership.objects.filter(user=user, agency=agency, role=role).first()
                if membership is None:
                    Membership.objects.create(user=user, agency=agency, role=role)
                    result.memberships_added += 1
                    changed = True
                elif not membership.is_active:
                    membership.is_active = True
                    membership.save()
                    result.memberships_added += 1
                    changed = True
            if username in existing:
                result.updated += changed
                result.unchanged += not changed
        audit.record(
            "accounts.users_imported",
            object_type="accounts.user",
            object_repr=Path(filename).name[:200],
            changes={
                "file": Path(filename).name,
                "rows": result.rows,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "memberships_added": result.memberships_added,
                "mailed": bool(mail),
            },
        )
    for username, password in letters:
        _mail_password(plan[username]["values"], username, password)
        result.mailed.append(username)
    return result


def _mail_password(values: dict, username: str, password: str) -> None:
    from django.conf import settings

    body = _(
        "Kính gửi %(name)s,\n\nTài khoản Cảnh Giác 389 của bạn đã được tạo.\n"
        "Tên đăng nhập: %(username)s\nMật khẩu lần đầu: %(password)s\n\n"
        "Đăng nhập tại %(url)s/accounts/login/ và đổi mật khẩu ngay."
    ) % {
        "name": values["full_name"],
        "username": username,
        "password": password,
        "url": getattr(settings, "CANHGIAC_BASE_URL", "").rstrip("/"),
    }
    send_mail(_("[Cảnh Giác 389] Tài khoản của bạn"), body, None, [values["email"]])
