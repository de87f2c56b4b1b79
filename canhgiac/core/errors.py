"""The one error type of the write path, and the helper that puts it on a form.

Services raise `ServiceError`: Vietnamese messages keyed by field, each optionally with the line of
an imported file. It is a Django `ValidationError` (so forms, views and the API handler in
`canhgiac/api.py` treat it like any validation error), and `Errors` collects messages before
raising them together.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str
    line: int | None = None

    def as_dict(self) -> dict:
        data = {"field": self.field, "message": str(self.message)}
        if self.line is not None:
            data["line"] = self.line
        return data


class ServiceError(ValidationError):
    def __init__(self, items: list[FieldError]):
        self.items = list(items)
        grouped: dict[str, list[str]] = {}
        for item in self.items:
            grouped.setdefault(item.field or "__all__", []).append(str(item.message))
        super().__init__(grouped)


class Errors(dict):
    """field → [messages], collected while validating; `raise_if_any` raises a ServiceError."""

    def __init__(self):
        super().__init__()
        self.items: list[FieldError] = []

    def add(self, field: str, message, line: int | None = None) -> None:
        self.setdefault(field, []).append(message)
        self.items.append(FieldError(field, message, line))

    def raise_if_any(self) -> None:
        if self.items:
            raise ServiceError(self.items)


def field_errors(exc: ValidationError) -> list[dict]:
    """[{field, message(, line)}] of any validation error (the API's `errors` list)."""
    if isinstance(exc, ServiceError):
        return [item.as_dict() for item in exc.items]
    if hasattr(exc, "error_dict"):
        return [{"field": f, "message": str(m)} for f, msgs in exc.message_dict.items() for m in msgs]
    return [{"field": "__all__", "message": str(m)} for m in exc.messages]


def add_to_form(form, exc: ValidationError, *, rename: dict | None = None, elsewhere: dict | None = None):
    """Put a service's errors on `form`: each on its field (after `rename`: service key → form
    field), on the form itself when the form has no such field, or handed to `elsewhere[key]`
    (a callable taking the messages, such as a formset's non-form errors)."""
    rename, elsewhere = rename or {}, elsewhere or {}
    messages = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    for key, errors in messages.items():
        if key in elsewhere:
            elsewhere[key](errors)
            continue
        name = rename.get(key, key)
        form.add_error(name if name in form.fields else None, errors)
