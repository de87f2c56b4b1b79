from django.urls import path

from canhgiac.core import health, views

app_name = "core"
urlpatterns = [
    path("jobs/<uuid:job_id>/", views.job_detail, name="job"),
    path("jobs/<uuid:job_id>/download", views.job_download, name="job_download"),
    path("notifications/", views.notifications, name="notifications"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]
