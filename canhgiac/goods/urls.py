from django.urls import path

from canhgiac.goods import views

app_name = "goods"
urlpatterns = [
    path("business/", views.business_home, name="business_home"),
    path("business/codes/", views.code_batches, name="code_batches"),
    path("business/codes/mark/", views.mark_codes, name="mark_codes"),
    path("business/codes/<int:pk>/", views.code_batch, name="code_batch"),
    path("business/codes/<int:pk>/codes.csv", views.code_batch_csv, name="code_batch_csv"),
    path("business/codes/<int:pk>/sheet.pdf", views.code_batch_pdf, name="code_batch_pdf"),
    path("check/", views.check, name="check"),
    path("checks/", views.check_figures, name="checks"),
    path("checks/<int:check_id>/case/", views.lead_case, name="lead_case"),
    path("lookup/", views.product_lookup, name="lookup"),
    path("products/", views.product_list, name="products"),
    path("products/new/", views.product_edit, name="product_create"),
    path("products/import/", views.product_import, name="product_import"),
    path("products/<int:pk>/", views.product_detail, name="product"),
    path("products/<int:pk>/edit/", views.product_edit, name="product_edit"),
]
