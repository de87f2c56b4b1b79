from django.urls import path

from canhgiac.committee import views

app_name = "committee"
urlpatterns = [
    path("", views.index, name="index"),
    path("membership/", views.membership, name="membership"),
    path("membership/<int:pk>/", views.committee_detail, name="committee"),
    path("meetings/", views.meetings, name="meetings"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("regulations/", views.regulations, name="regulations"),
    path("regulations/<int:pk>/document/", views.regulation_document, name="regulation_document"),
    path("training/", views.training, name="training"),
    path("training/<int:pk>/", views.course_detail, name="course"),
    path("library/", views.library, name="library"),
    path("library/<int:pk>/file/", views.material_file, name="material_file"),
    path("bulletins/", views.bulletins, name="bulletins"),
    path("bulletins/<int:pk>/", views.bulletin_detail, name="bulletin"),
    path("commendations/", views.commendations, name="commendations"),
    path("international/", views.international, name="international"),
    path("evidence/<slug:kind>/<int:pk>/", views.evidence, name="evidence"),
]
