from django.urls import path

from canhgiac.subjects import views
from canhgiac.subjects.network import views as network

app_name = "subjects"
urlpatterns = [
    path("", views.subject_list, name="list"),
    path("<int:pk>/", views.subject_detail, name="detail"),
    # links and networks (subjects.network)
    path("attention/", network.attention, name="attention"),
    path("<int:pk>/network/", network.network, name="network"),
    path("<int:pk>/relations/new/", network.relation_add, name="relation_add"),
]
