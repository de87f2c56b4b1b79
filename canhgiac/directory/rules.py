"""Who changes the directory (registered in DirectoryConfig.ready()).

Reference data is read by every signed-in user and changed by administrators; the Standing Office
(coordinators) also sets which communes of its province lie on the border (`set_border` on the
province) and edits the responsibility matrix.
"""

from canhgiac.core import policy


class AgencyRule(policy.ReferenceDataRule):
    """Each agency's leaders publish its own hotline, email and hours (`publish_hotline`)."""

    def can(self, user, action, obj):
        if action == "publish_hotline" and not isinstance(obj, type):
            return policy.is_admin(user) or policy.has_role(user, policy.LEADER, agency=obj.pk)
        return super().can(user, action, obj)


class AdministrativeUnitRule(policy.ReferenceDataRule):
    def can(self, user, action, obj):
        if action == "set_border" and not isinstance(obj, type):
            if policy.is_admin(user):
                return True
            from canhgiac.directory.models import Agency

            own = policy.agency_ids(user, policy.COORDINATOR)
            return Agency.objects.filter(pk__in=own, province_id=obj.province.pk).exists()
        return super().can(user, action, obj)
