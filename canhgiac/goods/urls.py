from django.urls import path

from canhgiac.goods import recall_views, views

app_name = "goods"
urlpatterns = [
    path("business/", views.business_home, name="business_home"),
    path("business/choose/", views.choose_business, name="choose_business"),
    path("business/commitments/", views.business_commitments, name="business_commitments"),
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
    path("recalls/", recall_views.recall_list, name="recalls"),
    path("recalls/new/", recall_views.recall_create, name="recall_create"),
    path("recalls/<int:pk>/lift/", recall_views.recall_lift, name="recall_lift"),
    path("warnings/new/", recall_views.warning_create, name="warning_create"),
    path("warnings/<int:pk>/withdraw/", recall_views.warning_withdraw, name="warning_withdraw"),
    path(
        "warnings/from-case-goods/<int:line_id>/",
        recall_views.warn_from_case_goods,
        name="warn_from_case_goods",
    ),
    path("feed.atom", recall_views.feed, name="feed"),
    path("trace/", views.trace, name="trace"),
    path("trace/leads/", views.trace_leads, name="trace_leads"),
]
