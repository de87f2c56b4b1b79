"""Change logging for every AuditedModel, plus sign-in events (as NetBox's change logging)."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.forms.models import model_to_dict

from canhgiac.audit import services
from canhgiac.core.models import AuditedModel


def snapshot(instance) -> dict:
    exclude = set(getattr(instance, "audit_exclude", ())) | {"id"}
    data = {}
    for field in instance._meta.concrete_fields:
        if field.name in exclude:
            continue
        value = field.value_from_object(instance)
        data[field.attname if field.is_relation else field.name] = services._jsonable(value)
    return data


def diff(before: dict | None, after: dict | None) -> dict:
    before, after = before or {}, after or {}
    keys = sorted(set(before) | set(after))
    return {
        k: {"before": before.get(k), "after": after.get(k)} for k in keys if before.get(k) != after.get(k)
    }


def _audited(sender) -> bool:
    return issubclass(sender, AuditedModel) and not sender._meta.abstract


def on_pre_save(sender, instance, raw=False, **kwargs):
    if raw or not _audited(sender):
        return
    instance._audit_before = None
    if instance.pk is not None:
        old = sender._default_manager.filter(pk=instance.pk).first()
        instance._audit_before = snapshot(old) if old is not None else None


def on_post_save(sender, instance, created, raw=False, **kwargs):
    if raw or not _audited(sender):
        return
    after = snapshot(instance)
    changes = diff(None if created else getattr(instance, "_audit_before", None), after)
    if not created and not changes:
        return
    services.record(
        f"{sender._meta.label_lower}.{'create' if created else 'update'}", obj=instance, changes=changes
    )


def on_post_delete(sender, instance, **kwargs):
    if not _audited(sender):
        return
    services.record(
        f"{sender._meta.label_lower}.delete", obj=instance, changes=diff(snapshot(instance), None)
    )


def on_m2m_changed(sender, instance, action, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear") or not isinstance(instance, AuditedModel):
        return
    field_name = next(
        (f.name for f in instance._meta.many_to_many if f.remote_field.through is sender), "m2m"
    )
    services.record(
        f"{instance._meta.label_lower}.update",
        obj=instance,
        changes={field_name: {action.removeprefix("post_"): sorted(pk_set or [])}},
    )


def on_login(sender, request, user, **kwargs):
    services.record("auth.login", obj=user, actor=user)


def on_logout(sender, request, user, **kwargs):
    if user is not None:
        services.record("auth.logout", obj=user, actor=user)


def on_login_failed(sender, credentials, request=None, **kwargs):
    from canhgiac.core.middleware import client_ip

    services.record(
        "auth.login_failed",
        object_type="accounts.user",
        object_repr=str(credentials.get("username", ""))[:150],
        ip=client_ip(request) if request is not None else None,
    )


def connect():
    pre_save.connect(on_pre_save, dispatch_uid="audit_pre_save")
    post_save.connect(on_post_save, dispatch_uid="audit_post_save")
    post_delete.connect(on_post_delete, dispatch_uid="audit_post_delete")
    m2m_changed.connect(on_m2m_changed, dispatch_uid="audit_m2m")
    user_logged_in.connect(on_login, dispatch_uid="audit_login")
    user_logged_out.connect(on_logout, dispatch_uid="audit_logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="audit_login_failed")


__all__ = ["connect", "diff", "snapshot", "model_to_dict"]
