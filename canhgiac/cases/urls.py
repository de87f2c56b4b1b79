from django.urls import path
from django.views.generic import RedirectView

from canhgiac.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("export.<str:fmt>", views.case_export, name="export"),
    path("figures/", views.figures, name="figures"),
    path("new/", views.case_edit, name="create"),
    path("import/", views.case_import, name="import"),
    path("import/template.csv", views.import_template, name="import_template"),
    path("import/codes.csv", views.import_codes, name="import_codes"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/edit/", views.case_edit, name="edit"),
    path("<int:pk>/delete/", views.case_delete, name="delete"),
    path("<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("inspections/", views.inspection_list, name="inspections"),
    path("inspections/new/", views.inspection_edit, name="inspection_create"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection"),
    path("inspections/<int:pk>/edit/", views.inspection_edit, name="inspection_edit"),
    path("warnings/manage/", views.warnings_manage, name="warnings_manage"),
    path("warnings/new/", views.warning_edit, name="warning_create"),
    path("warnings/<int:pk>/edit/", views.warning_edit, name="warning_edit"),
    # The public warnings live on the portal (/canh-bao/, with recalls and the Atom feed); the old
    # address stays as a permanent redirect for links printed before.
    path(
        "warnings/",
        RedirectView.as_view(pattern_name="portal:warnings", permanent=True),
        name="public_warnings",
    ),
]
