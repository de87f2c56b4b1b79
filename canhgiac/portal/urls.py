from django.urls import path

from canhgiac.portal import views
from canhgiac.portal.feeds import WarningsFeed

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("hotlines/", views.hotlines, name="hotlines"),
    path("canh-bao/", views.warnings, name="warnings"),
    path("canh-bao/atom.xml", WarningsFeed(), name="feed"),
    path("so-lieu/", views.statistics, name="statistics"),
    path("hang-hoa/", views.products, name="products"),
    path("huong-dan/", views.guides, name="guides"),
    path("huong-dan/cam-ket/", views.commitments_guide, name="commitments_guide"),
    path("huong-dan/<slug:slug>/", views.guide, name="guide"),
    path("tim-kiem/", views.search, name="search"),
]
