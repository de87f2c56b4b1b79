from django.urls import path

from canhgiac.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("hotlines/", views.hotlines, name="hotlines"),
]
