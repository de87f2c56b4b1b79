from django.contrib import admin

from canhgiac.directory.models import (
    AdministrativeUnit,
    Agency,
    Field,
    GoodsCategory,
    Responsibility,
    ViolationType,
)


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent", "border", "latitude", "longitude"]
    list_filter = ["kind", "border", "parent"]
    list_editable = ["border"]
    search_fields = ["code", "name", "name_folded"]
    readonly_fields = ["code", "name", "kind", "parent", "codename"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "hotline", "email", "is_active"]
    list_filter = ["kind", "province", "is_active"]
    search_fields = ["code", "name", "name_folded"]


@admin.register(Field, ViolationType)
class ReferenceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "order"]


@admin.register(GoodsCategory)
class GoodsCategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "field", "high_risk"]
    list_filter = ["high_risk", "field"]


@admin.register(Responsibility)
class ResponsibilityAdmin(admin.ModelAdmin):
    list_display = ["field", "unit", "lead"]
    list_filter = ["field"]
    filter_horizontal = ["coordinating"]
    autocomplete_fields = ["unit", "lead"]
