"""Public statistics are aggregates for anyone; nobody edits them (the daily refresh rebuilds them)."""

from canhgiac.core import policy


class PublicStatisticsRule(policy.PublicRule):
    def visible(self, user, queryset):
        return queryset

    def can(self, user, action, obj, **context):
        return action == "view"
