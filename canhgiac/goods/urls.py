from django.urls import path

from canhgiac.goods import views

app_name = "goods"
urlpatterns = [
    path("business/", views.business_home, name="business_home"),
    path("lookup/", views.product_lookup, name="lookup"),
    path("products/", views.product_list, name="products"),
    path("products/new/", views.product_edit, name="product_create"),
    path("products/import/", views.product_import, name="product_import"),
    path("products/<int:pk>/", views.product_detail, name="product"),
    path("products/<int:pk>/edit/", views.product_edit, name="product_edit"),
    path("trace/", views.trace, name="trace"),
    path("trace/leads/", views.trace_leads, name="trace_leads"),
]
