from django.urls import path

from canhgiac.tips import views

app_name = "tips"
urlpatterns = [
    path("report/", views.report, name="report"),
    path("follow/", views.follow, name="follow"),
    path("", views.tip_list, name="list"),
    path("new/", views.tip_new, name="new"),
    path("stats/", views.tip_stats, name="stats"),
    path("<int:pk>/", views.tip_detail, name="detail"),
    path("<int:pk>/receipt/", views.tip_receipt, name="receipt"),
    path("<int:pk>/contact/", views.tip_contact, name="contact"),
    path("<int:pk>/case/", views.tip_to_case, name="to_case"),
    path("<int:pk>/files/<int:attachment_id>/", views.attachment, name="attachment"),
    path("<int:pk>/<slug:action>/", views.tip_action, name="action"),
]
