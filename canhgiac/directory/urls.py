from django.urls import path

from canhgiac.directory import views

app_name = "directory"
urlpatterns = [
    path("matrix/", views.matrix, name="matrix"),
    path("matrix/new/", views.matrix_edit, name="matrix_add"),
    path("matrix/<int:pk>/edit/", views.matrix_edit, name="matrix_edit"),
    path("agencies/", views.agencies, name="agencies"),
    path("border/", views.border, name="border"),
    path("hotline/", views.hotline, name="hotline"),
    path("locations/", views.locations, name="locations"),
]
