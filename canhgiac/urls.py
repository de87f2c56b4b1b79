from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from canhgiac.accounts.views import admin_sign_in
from canhgiac.api import api

admin.site.site_header = "Cảnh Giác 389 — Quản trị danh mục"
admin.site.site_title = "Cảnh Giác 389"
admin.site.login = admin_sign_in  # the admin signs in through our sign-in and second factor

urlpatterns = [
    path("", include("canhgiac.portal.urls")),
    path("app/", include("canhgiac.dashboard.urls")),
    path("accounts/", include("canhgiac.accounts.urls")),
    path("directory/", include("canhgiac.directory.urls")),
    path("audit/", include("canhgiac.audit.urls")),
    path("", include("canhgiac.core.urls")),
    path("api/v1/", api.urls),
    # GS1 Digital Link paths on this server (/01/{gtin}[/10/{lot}[/21/{serial}]]): the resolver
    path("01/", include("canhgiac.goods.resolver_urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]

# Further apps mount themselves here by convention: canhgiac.<app>.urls at /<app>/.
for _app in getattr(settings, "CANHGIAC_EXTRA_APPS", []):
    urlpatterns.append(path(f"{_app}/", include(f"canhgiac.{_app}.urls")))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "canhgiac.core.error_pages.bad_request"
handler403 = "canhgiac.core.error_pages.permission_denied"
handler404 = "canhgiac.core.error_pages.page_not_found"
handler500 = "canhgiac.core.error_pages.server_error"
