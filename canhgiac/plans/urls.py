from django.urls import path

from canhgiac.plans import views

app_name = "plans"
urlpatterns = [
    path("", views.plan_list, name="list"),
    path("<int:pk>/", views.plan_detail, name="detail"),
    path("<int:pk>/agency-plans/", views.agency_plans, name="agency_plans"),
    path("<int:pk>/agency-plans/derive/", views.agency_plan_derive, name="agency_plan_derive"),
    path("<int:pk>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<int:pk>/report.docx", views.export_docx, name="export_docx"),
    path("agency-plan/<int:pk>/issue/", views.agency_plan_issue, name="agency_plan_issue"),
    path("agency-plan/<int:pk>/document/", views.agency_plan_document, name="agency_plan_document"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/assign/", views.task_assign, name="task_assign"),
    path("updates/<int:pk>/evidence/", views.evidence, name="evidence"),
    path("mine/", views.my_tasks, name="mine"),
    path("due/", views.due, name="due"),
    path("scorecard/", views.scorecard, name="scorecard"),
]
