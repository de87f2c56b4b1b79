"""Jobs: each user sees their own; administrators those of their province's users (the job page).
An export's file and a job's API status are for the job's owner only."""

from canhgiac.core import policy


def _owners_in_admin_provinces(user):
    from canhgiac.accounts.models import Membership

    provinces = {
        m.agency.province_id for m in user.active_memberships() if m.agency_id and m.role == policy.ADMIN
    }
    return Membership.objects.filter(agency__province_id__in=provinces).values("user_id")


class JobRule(policy.Rule):
    personal_actions = ("download", "status")  # the owner's only, whatever the role

    def visible(self, user, queryset):
        if policy.is_national_admin(user):
            return queryset
        if policy.is_admin(user):
            return queryset.filter(owner_id__in=_owners_in_admin_provinces(user)) | queryset.filter(
                owner=user
            )
        return queryset.filter(owner=user)

    def can(self, user, action, obj, **context):
        mine = policy.is_active_user(user) and getattr(obj, "owner_id", None) == user.pk
        # an export's file, and a job's status through the API: only to the user who asked for it
        if action in ("download", "status"):
            return mine
        if action != "view":
            return False
        if mine:
            return True
        return self.visible(user, type(obj).objects.filter(pk=obj.pk)).exists()
