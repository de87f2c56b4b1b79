from django.urls import path

from canhgiac.subjects import views
from canhgiac.subjects.network import views as network

app_name = "subjects"
urlpatterns = [
    path("", views.subject_list, name="list"),
    path("<int:pk>/", views.subject_detail, name="detail"),
    path("entities/<int:pk>/", views.entity_detail, name="entity"),
    path("review/", views.review_queue, name="review"),
    path("review/decide/", views.review_decide, name="review_decide"),
    # links and networks (subjects.network)
    path("attention/", network.attention, name="attention"),
    path("<int:pk>/network/", network.network, name="network"),
    path("<int:pk>/relations/new/", network.relation_add, name="relation_add"),
    path("relations/<int:pk>/edit/", network.relation_edit, name="relation_edit"),
    path("relations/<int:pk>/delete/", network.relation_delete, name="relation_delete"),
]
