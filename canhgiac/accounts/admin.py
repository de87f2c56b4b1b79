from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from canhgiac.accounts.forms import ResetPasswordForm
from canhgiac.accounts.models import ApiToken, Membership, RoleSetting, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["agency"]


@admin.register(User)
class CGUserAdmin(UserAdmin):
    """A password set here (a new account, or a reset) is a first-time password: the user changes
    it at the next sign-in."""

    inlines = [MembershipInline]
    change_password_form = ResetPasswordForm

    def save_model(self, request, obj, form, change):
        if not change and obj.has_usable_password():
            obj.must_change_password = True
        super().save_model(request, obj, form, change)

    list_display = ["username", "full_name", "email", "is_active", "is_superuser"]
    search_fields = ["username", "full_name", "email"]
    fieldsets = UserAdmin.fieldsets + (
        ("Cảnh Giác 389", {"fields": ("full_name", "phone", "must_change_password")}),
    )


@admin.register(RoleSetting)
class RoleSettingAdmin(admin.ModelAdmin):
    list_display = ["role", "require_two_factor"]
    list_editable = ["require_two_factor"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "expires_at", "last_used_at", "revoked"]
    readonly_fields = ["prefix", "created_at", "last_used_at"]
    fields = ["user", "name", "prefix", "expires_at", "revoked", "created_at", "last_used_at"]

    def has_add_permission(self, request):
        return False  # tokens are issued from the profile page so the raw value is shown once
