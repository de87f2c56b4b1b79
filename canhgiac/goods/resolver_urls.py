"""GS1 Digital Link paths answered at the root of this server (mounted at /01/ by canhgiac/urls.py)."""

from django.urls import path

from canhgiac.goods import views

app_name = "goods_dl"
urlpatterns = [
    path("<str:gtin>", views.resolve, name="gtin"),
    path("<str:gtin>/10/<str:lot>", views.resolve, name="lot"),
    path("<str:gtin>/10/<str:lot>/21/<str:serial>", views.resolve, name="serial"),
    # a serial without its lot, as EPCIS writes an SGTIN (/01/{gtin}/21/{serial}) and other
    # systems print it: the lot, when known, comes from the item's commissioning event
    path("<str:gtin>/21/<str:serial>", views.resolve, name="item"),
]
