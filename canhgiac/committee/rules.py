"""Permission rules of the committee's records. Every record belongs to a province: its staff
read it; the Standing Office (coordinators) and the province's administrators write it. A commune
committee (its decisions and members) is also kept by the commune's own leaders and officers.
Bulletins are read by the Standing Office and by the agencies and communes they were sent to."""

from canhgiac.core import policy


def _commune_agency_ids(user) -> set[int]:
    return policy.agency_ids(user, policy.LEADER, policy.OFFICER)


class RecordRule(policy.Rule):
    """`path` leads from the model to its province (e.g. "province", "meeting__province")."""

    def __init__(self, path: str = "province"):
        self.path = path

    def visible(self, user, queryset):
        return policy.scope(user, queryset, self.path)

    def can(self, user, action, obj, **context):
        if isinstance(obj, type):
            return action == "add" and policy.is_coordinator(user, province=context.get("province"))
        province = policy.object_province(obj, self.path)
        if action == "view":
            return policy.in_province(user, province)
        return policy.is_coordinator(user, province=province)


class CommitteePartRule(RecordRule):
    """Committee, Decision, Member: a commune's committee is also its commune's to keep."""

    def _unit_id(self, obj):
        committee = obj if hasattr(obj, "unit_id") else obj.committee
        return committee.unit_id

    def can(self, user, action, obj, **context):
        if super().can(user, action, obj, **context):
            return True
        if isinstance(obj, type) or action == "view":
            return False
        unit_id = self._unit_id(obj)
        if unit_id is None:
            return False
        from canhgiac.directory.models import Agency

        return Agency.objects.filter(
            pk__in=_commune_agency_ids(user), unit_id=unit_id, kind=Agency.Kind.COMMUNE
        ).exists()


class BulletinRule(RecordRule):
    def visible(self, user, queryset):
        queryset = policy.scope(user, queryset, "province")
        overseen = policy.overseen_provinces(user)
        from django.db.models import Q

        return queryset.filter(
            Q(province_id__in=overseen)
            | Q(receipts__agency_id__in=policy.agency_ids(user))
            | Q(sender_id__in=policy.agency_ids(user))
        ).distinct()

    def can(self, user, action, obj, **context):
        if action == "view" and not isinstance(obj, type):
            return self.visible(user, type(obj).objects.filter(pk=obj.pk)).exists()
        return super().can(user, action, obj, **context)


class ReceiptRule(RecordRule):
    def __init__(self):
        super().__init__("bulletin__province")

    def visible(self, user, queryset):
        from django.db.models import Q

        queryset = policy.scope(user, queryset, self.path)
        return queryset.filter(
            Q(bulletin__province_id__in=policy.overseen_provinces(user))
            | Q(agency_id__in=policy.agency_ids(user))
        )

    def can(self, user, action, obj, **context):
        if isinstance(obj, type):
            return False
        if action in ("view", "change"):
            return policy.is_coordinator(user, province=obj.bulletin.province_id) or obj.agency_id in (
                policy.agency_ids(user)
            )
        return False
