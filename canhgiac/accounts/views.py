import base64
import datetime as dt

import segno
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from canhgiac.accounts import services
from canhgiac.accounts.forms import OtpForm, SignInForm, TokenForm
from canhgiac.accounts.models import ApiToken, User
from canhgiac.audit import services as audit


def _next_url(request, default="dashboard:home"):
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(candidate, {request.get_host()}, request.is_secure()):
        return candidate
    return reverse(default)


def sign_in(request):
    """Step 1: password. Step 2 (if the user has a confirmed TOTP device): the 6-digit code."""
    pending_id = request.session.get("pending_2fa_user")
    if pending_id and request.method == "POST" and "token" in request.POST:
        user = User.objects.filter(pk=pending_id, is_active=True).first()
        form = OtpForm(request.POST)
        device = services.confirmed_device(user) if user else None
        if user and device and form.is_valid() and device.verify_token(form.cleaned_data["token"]):
            del request.session["pending_2fa_user"]
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            otp_login(request, device)
            return redirect(_next_url(request))
        audit.record("auth.two_factor_failed", obj=user, actor=user)
        form.add_error("token", _("Mã xác thực không đúng hoặc đã hết hạn."))
        return render(
            request, "accounts/login_otp.html", {"form": form, "next": request.POST.get("next", "")}
        )

    form = SignInForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        if services.confirmed_device(user):
            request.session["pending_2fa_user"] = user.pk
            return render(
                request, "accounts/login_otp.html", {"form": OtpForm(), "next": request.POST.get("next", "")}
            )
        login(request, user)
        return redirect(_next_url(request))
    return render(request, "accounts/login.html", {"form": form, "next": request.GET.get("next", "")})


def admin_sign_in(request):
    """Django admin's own sign-in page is replaced by ours, so the admin site asks for the same
    password and second factor as every other page (no separate /admin/login/)."""
    from django.core.exceptions import PermissionDenied
    from django.utils.http import urlencode

    if request.user.is_authenticated:
        if not request.user.is_staff:
            raise PermissionDenied
        return redirect(_next_url(request, "admin:index"))
    return redirect(reverse("accounts:login") + "?" + urlencode({"next": _next_url(request, "admin:index")}))


@login_required
def password_change(request):
    """Change one's own password: required at first sign-in when someone else chose it."""
    from canhgiac.accounts.forms import OwnPasswordForm

    form = OwnPasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.change_own_password(request, form)
        messages.success(request, _("Đã đổi mật khẩu."))
        return redirect(_next_url(request))
    return render(
        request,
        "accounts/password_change.html",
        {"form": form, "next": request.GET.get("next", ""), "forced": request.user.must_change_password},
    )


@require_POST
def sign_out(request):
    logout(request)
    messages.success(request, _("Bạn đã đăng xuất."))
    return redirect("accounts:login")


def _qr_data_uri(url: str) -> str:
    svg = segno.make(url, error="m").svg_inline(scale=5)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@login_required
def two_factor(request):
    """Set up TOTP (scan a QR code, confirm a code), or verify an existing device this session."""
    user = request.user
    device = services.confirmed_device(user)
    if device and not user.is_verified():
        form = OtpForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            if device.verify_token(form.cleaned_data["token"]):
                otp_login(request, device)
                return redirect(_next_url(request))
            audit.record("auth.two_factor_failed", obj=user)
            form.add_error("token", _("Mã xác thực không đúng hoặc đã hết hạn."))
        return render(request, "accounts/two_factor_verify.html", {"form": form})

    pending = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if request.method == "POST" and pending:
        form = OtpForm(request.POST)
        if form.is_valid() and services.confirm_totp(user, pending, form.cleaned_data["token"]):
            otp_login(request, pending)
            messages.success(request, _("Đã bật xác thực hai lớp."))
            return redirect(_next_url(request, "accounts:profile"))
        form.add_error("token", _("Mã xác thực không đúng. Hãy kiểm tra giờ trên điện thoại và thử lại."))
    else:
        pending = services.start_totp_setup(user)
        form = OtpForm()
    secret = base64.b32encode(pending.bin_key).decode().rstrip("=")
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "form": form,
            "qr": _qr_data_uri(pending.config_url),
            "secret": secret,
            "has_device": bool(device),
            "required": user.requires_two_factor(),
        },
    )


@login_required
def profile(request):
    new_token = None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        expires = form.cleaned_data["expires_at"]
        expires_at = timezone.make_aware(dt.datetime.combine(expires, dt.time.max)) if expires else None
        _token, new_token = services.issue_token(request.user, form.cleaned_data["name"], expires_at)
        form = TokenForm()
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "new_token": new_token,
            "tokens": request.user.api_tokens.filter(revoked=False),
            "memberships": request.user.active_memberships(),
            "has_device": services.confirmed_device(request.user) is not None,
        },
    )


@login_required
@require_POST
def revoke_token(request, token_id: int):
    # Another user's token does not exist for this user (404, not a server error).
    get_object_or_404(ApiToken, pk=token_id, user=request.user)
    services.revoke_token(request.user, token_id)
    messages.success(request, _("Đã thu hồi mã truy cập."))
    return redirect("accounts:profile")


@login_required
def committee(request):
    """The Standing Office's leaders name the 389 committee's head and deputies of their province."""
    from django.core.exceptions import PermissionDenied

    from canhgiac.accounts import committee as roster
    from canhgiac.accounts.models import CommitteeMember
    from canhgiac.core import policy
    from canhgiac.core.errors import FieldError, ServiceError
    from canhgiac.directory.models import AdministrativeUnit

    provinces = [
        p
        for p in AdministrativeUnit.objects.filter(parent=None).order_by("code")
        if policy.can(request.user, "accounts.name_committee", province=p)
    ]
    if not provinces:
        raise PermissionDenied
    province = next((p for p in provinces if p.code == request.GET.get("province")), provinces[0])
    error = None
    if request.method == "POST":
        try:
            if request.POST.get("remove"):
                roster.remove_member(request.user, province, int(request.POST["remove"]))
                messages.success(request, _("Đã bỏ tên khỏi danh sách lãnh đạo Ban Chỉ đạo."))
            else:
                member = roster.candidates(province).filter(pk=request.POST.get("user") or 0).first()
                if member is None:
                    raise ServiceError([FieldError("user", _("Chọn một tài khoản của tỉnh."))])
                roster.name_member(
                    request.user,
                    province,
                    member=member,
                    position=request.POST.get("position", ""),
                    title=request.POST.get("title", "")[:200],
                )
                messages.success(request, _("Đã lưu lãnh đạo Ban Chỉ đạo."))
            return redirect(f"{request.path}?province={province.code}")
        except ServiceError as exc:
            error = " ".join(exc.messages)
        except ValueError:
            error = _("Yêu cầu không hợp lệ.")
    return render(
        request,
        "accounts/committee.html",
        {
            "province": province,
            "provinces": provinces,
            "members": roster.roster(province),
            "candidates": roster.candidates(province)[:500],
            "positions": CommitteeMember.Position.choices,
            "error": error,
        },
    )
