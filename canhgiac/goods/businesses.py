"""Businesses as accounts: `canhgiac import-businesses FILE` (issue 13, item 1).

The file is CSV (UTF-8, with or without BOM) or XLSX with the header `tax_code, name, address,
unit_code, email, username`. One row is one user of one business: a business with several users
has several rows whose business columns (name, address, unit_code, email) agree. The tax code is
checked with python-stdnum's `vn.mst` (10 digits, or 13 for a branch: "0100233488-001");
`unit_code` is the official code of the commune or ward (vietnam-provinces) where the business
sits, and sets its province. The whole file is checked first; any error and nothing is written.

Re-importing is idempotent: businesses are matched by tax code, users by username; changed
business details are updated, existing users keep their password. New users get a first-time
password, returned once. A staff account (one holding agency memberships) cannot be made a
business user: the two kinds of principal stay apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from stdnum.exceptions import ValidationError as NumberInvalid
from stdnum.vn import mst

from canhgiac.accounts.models import Membership, User
from canhgiac.accounts.provisioning import first_time_password
from canhgiac.audit import services as audit
from canhgiac.core.tabular import RowError, read_import
from canhgiac.directory.models import AdministrativeUnit
from canhgiac.goods.models import Business, BusinessMember

COLUMNS = ("tax_code", "name", "address", "unit_code", "email", "username")
REQUIRED_COLUMNS = ("tax_code", "name", "unit_code", "username")
BUSINESS_COLUMNS = ("name", "address", "unit_code", "email")
MAX_ROWS = 20_000


@dataclass
class BusinessImportResult:
    rows: int = 0
    businesses_created: int = 0
    businesses_updated: int = 0
    users_created: int = 0
    members_added: int = 0
    passwords: list[tuple[str, str]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def clean_tax_code(value) -> str:
    """The tax code in its compact form (10 or 13 digits); ValueError with a Vietnamese reason."""
    text = str(value if value is not None else "").strip()
    if isinstance(value, int) and len(text) in (9, 12):
        text = "0" + text  # a number cell dropped the leading zero
    if not text:
        raise ValueError(_("bắt buộc."))
    try:
        return mst.validate(text)
    except NumberInvalid:
        raise ValueError(
            _("“%(value)s” không phải mã số thuế hợp lệ (10 chữ số, hoặc 13 chữ số cho chi nhánh).")
            % {"value": text}
        ) from None


def _validate(rows):
    errors: list[RowError] = []
    codes = {row.text("unit_code") for row in rows}
    units = {u.code: u for u in AdministrativeUnit.objects.filter(code__in=codes).exclude(parent=None)}
    usernames = {row.text("username") for row in rows}
    staff = set(
        Membership.objects.filter(user__username__in=usernames).values_list("user__username", flat=True)
    )
    username_ok = UnicodeUsernameValidator()
    businesses: dict[str, dict] = {}
    users: dict[str, dict] = {}
    for row in rows:
        line, raw, get = row.line, row.value, row.text

        def err(column, message, _line=line):
            errors.append(RowError(_line, column, message))

        try:
            tax_code = clean_tax_code(raw("tax_code"))
        except ValueError as exc:
            err("tax_code", str(exc))
            tax_code = None
        values = {
            "name": get("name"),
            "address": get("address"),
            "unit_code": get("unit_code"),
            "email": get("email"),
        }
        if not values["name"]:
            err("name", _("bắt buộc."))
        elif len(values["name"]) > 200:
            err("name", _("dài quá 200 ký tự."))
        if len(values["address"]) > 300:
            err("address", _("dài quá 300 ký tự."))
        unit = units.get(values["unit_code"])
        if not values["unit_code"]:
            err("unit_code", _("bắt buộc (mã xã, phường theo danh mục hành chính)."))
        elif unit is None:
            err("unit_code", _("không có xã, phường mã “%(code)s”.") % {"code": values["unit_code"]})
        if values["email"]:
            try:
                validate_email(values["email"])
            except ValidationError:
                err("email", _("“%(value)s” không phải địa chỉ thư điện tử.") % {"value": values["email"]})
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
                username = ""
            if username in staff:
                err(
                    "username",
                    _("“%(username)s” là tài khoản cán bộ; tài khoản doanh nghiệp phải là tài khoản riêng.")
                    % {"username": username},
                )
        if tax_code is None:
            continue
        entry = businesses.get(tax_code)
        if entry is None:
            businesses[tax_code] = {"line": line, "values": values, "unit": unit, "users": []}
        else:
            for column in BUSINESS_COLUMNS:
                if values[column] != entry["values"][column]:
                    err(
                        column,
                        _("khác với dòng %(line)s của cùng doanh nghiệp %(tax_code)s.")
                        % {"line": entry["line"], "tax_code": tax_code},
                    )
        if username:
            if username not in businesses[tax_code]["users"]:
                businesses[tax_code]["users"].append(username)
            users.setdefault(username, {"email": values["email"], "name": values["name"]})
    return businesses, users, errors


def import_businesses(data: bytes, filename: str) -> BusinessImportResult:
    """Check the whole file, then write every business, user and membership in one transaction."""
    result = BusinessImportResult()
    table = read_import(data, filename, required=REQUIRED_COLUMNS, known=COLUMNS, max_rows=MAX_ROWS)
    result.rows = len(table.rows)
    if table.errors:
        result.errors = table.errors
        return result
    businesses, users, errors = _validate(table.rows)
    if errors:
        result.errors = errors
        return result
    with transaction.atomic():
        existing = {b.tax_code: b for b in Business.objects.filter(tax_code__in=list(businesses))}
        known_users = {u.username: u for u in User.objects.filter(username__in=list(users))}
        for username, info in users.items():
            if username not in known_users:
                password = first_time_password()
                user = User(username=username, full_name=info["name"][:150], email=info["email"])
                user.set_password(password)
                user.save()
                known_users[username] = user
                result.users_created += 1
                result.passwords.append((username, password))
        for tax_code, entry in businesses.items():
            values, unit = entry["values"], entry["unit"]
            wanted = {
                "name": values["name"],
                "address": values["address"],
                "unit": unit,
                "email": values["email"],
            }
            business = existing.get(tax_code)
            if business is None:
                business = Business(tax_code=tax_code, **wanted)
                business.save()
                result.businesses_created += 1
            elif any(getattr(business, k) != v for k, v in wanted.items()) or not business.is_active:
                for key, value in wanted.items():
                    setattr(business, key, value)
                business.is_active = True
                business.save()
                result.businesses_updated += 1
            for username in entry["users"]:
                member = BusinessMember.objects.filter(user=known_users[username], business=business).first()
                if member is None:
                    BusinessMember.objects.create(user=known_users[username], business=business)
                    result.members_added += 1
                elif not member.is_active:
                    member.is_active = True
                    member.save()
                    result.members_added += 1
        audit.record(
            "goods.businesses_imported",
            object_type="goods.business",
            object_repr=Path(filename).name[:200],
            changes={
                "file": Path(filename).name,
                "rows": result.rows,
                "businesses_created": result.businesses_created,
                "businesses_updated": result.businesses_updated,
                "users_created": result.users_created,
                "members_added": result.members_added,
            },
        )
    return result


# --- the business a user of several acts for (the business area's choice, kept in the session) ---
SESSION_KEY = "goods_business_id"


def acting_businesses(user) -> list[Business]:
    """The businesses `user` acts for (their memberships, as the policy sees them), by name."""
    from canhgiac.core import policy

    ids = policy.business_ids(user)
    if not ids:
        return []
    return list(
        policy.visible_to(user, Business.objects.select_related("unit", "province"))
        .filter(pk__in=ids)
        .order_by("name", "pk")
    )


def current_business(user, chosen_id=None, businesses: list | None = None) -> Business | None:
    """The business `user` acts for now: the one chosen (its id, from the session) if the policy
    still lets them act for it, else their first by name; None for a user of no business."""
    from canhgiac.core import policy

    businesses = acting_businesses(user) if businesses is None else businesses
    for business in businesses:
        if str(business.pk) == str(chosen_id) and policy.can(user, "goods.act_for", business=business):
            return business
    for business in businesses:
        if policy.can(user, "goods.act_for", business=business):
            return business
    return None


def choose_business(user, business_id) -> Business:
    """The business `user` asks to act for, checked by the policy: ValidationError for an id that
    is no business, PermissionDenied for one they do not act for."""
    from canhgiac.core import policy

    try:
        business = Business.objects.filter(pk=int(str(business_id).strip())).first()
    except ValueError:
        business = None
    if business is None:
        raise ValidationError({"business": _("Hãy chọn một doanh nghiệp trong danh sách.")})
    policy.require(user, "goods.act_for", business=business)
    return business
