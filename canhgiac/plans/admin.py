from django.contrib import admin

from canhgiac.plans.models import Plan, Task, TaskGroup


class TaskGroupInline(admin.TabularInline):
    model = TaskGroup
    extra = 0
    fields = ("code", "title", "order")


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "province", "owner_agency", "parent", "agency", "start", "end")
    list_filter = ("province",)
    search_fields = ("code", "title_folded")
    inlines = [TaskGroupInline]
    raw_id_fields = ("parent",)


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("plan", "code", "deadline_text", "schedule_kind", "due_date", "needs_assignment")
    list_filter = ("plan", "schedule_kind", "needs_assignment")
    search_fields = ("code", "action_folded")
    filter_horizontal = ("lead_agencies", "coordinating_agencies")
    raw_id_fields = ("parent", "source_task", "responsible_user")
