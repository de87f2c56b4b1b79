from django.shortcuts import redirect
from django.urls import reverse


class PasswordChangeRequiredMiddleware:
    """A user whose password was chosen by someone else (import-users, the admin site, an
    administrator's reset) reaches nothing but the change-password and sign-out pages until they
    have chosen their own. API tokens are unaffected (the API refuses such a session itself)."""

    EXEMPT_PREFIXES = (
        "/static/",
        "/accounts/password/",
        "/accounts/logout/",
        "/accounts/login/",
        "/accounts/two-factor/",
        "/api/",
        "/i18n/",
        "/healthz",
        "/readyz",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not request.path.startswith(self.EXEMPT_PREFIXES)
        ):
            return redirect(reverse("accounts:password_change") + f"?next={request.path}")
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """Users whose role requires two-factor sign-in reach nothing but the set-up and sign-out
    pages until they have verified a TOTP code in this session."""

    EXEMPT_PREFIXES = (
        "/static/",
        "/accounts/two-factor/",
        "/accounts/logout/",
        "/accounts/login/",
        "/api/",
        "/i18n/",
        "/media/",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(self.EXEMPT_PREFIXES)
            and not user.is_verified()
            and user.requires_two_factor()
        ):
            return redirect(reverse("accounts:two_factor") + f"?next={request.path}")
        return self.get_response(request)
