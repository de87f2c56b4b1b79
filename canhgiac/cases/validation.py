"""Collecting Vietnamese validation messages keyed by field before raising them together."""

from django.core.exceptions import ValidationError


class FieldErrors(dict):
    def add(self, field, message):
        self.setdefault(field, []).append(message)

    def raise_if_any(self):
        if self:
            raise ValidationError(dict(self))
