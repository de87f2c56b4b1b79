from django.urls import path

from canhgiac.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("two-factor/", views.two_factor, name="two_factor"),
    path("password/", views.password_change, name="password_change"),
    path("profile/", views.profile, name="profile"),
    path("committee/", views.committee, name="committee"),
    path("tokens/<int:token_id>/revoke/", views.revoke_token, name="revoke_token"),
]
