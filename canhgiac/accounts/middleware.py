from django.shortcuts import redirect
from django.urls import reverse


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
