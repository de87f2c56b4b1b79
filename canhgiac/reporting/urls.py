from django.urls import path

from canhgiac.reporting import views

app_name = "reporting"
urlpatterns = [
    path("", views.index, name="index"),
    path("periods/new/", views.period_create, name="period_create"),
    path("campaigns/new/", views.campaign_create, name="campaign_create"),
    path("periods/<int:pk>/", views.period_detail, name="period"),
    path("periods/<int:pk>/edit/", views.period_edit, name="period_edit"),
    path("periods/<int:pk>/exception/", views.grant_exception, name="grant_exception"),
    path("periods/<int:pk>/open/<int:agency_pk>/", views.open_submission, name="open_submission"),
    path("periods/<int:pk>/consolidated/", views.consolidated, name="consolidated"),
    path("periods/<int:pk>/consolidated/refresh/", views.consolidated_refresh, name="consolidated_refresh"),
    path("periods/<int:pk>/export.<str:fmt>", views.export_period, name="export_period"),
    path("submissions/<int:pk>/", views.submission_detail, name="submission"),
    path("export/", views.export_window, name="export_window"),
    path("timeliness/", views.timeliness, name="timeliness"),
    path("forms/", views.forms_list, name="forms"),
    path("forms/<int:pk>/edit/", views.form_edit, name="form_edit"),
    path("groups/", views.groups_edit, name="groups"),
]
