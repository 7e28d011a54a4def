"""Audit rows from Django's signals: sign-ins, permission changes, and writes with masked diffs."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.backends.signals import connection_created
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.http import HttpRequest

from oncoroute.privacy.audit import (
    Action,
    Outcome,
    audit_record,
    current_user,
    register_sqlite_function,
)
from oncoroute.privacy.fields import EncryptedTextField, _Sealed

MASK = "***"
# Models whose changes are audited: "app_label.model" names, resolved when signals fire.
AUDITED_WRITES = frozenset(
    {
        "cases.case",
        "cases.consent",
        "cases.caseshare",
        "cases.triagesnapshot",
        "records.document",
        "privacy.datakey",
        "privacy.breach",
        "privacy.erasurerequest",
    }
)
_NEVER_SHOWN = frozenset({"wrapped", "password", "submission_token", "source_address_hash"})
_PII = frozenset({"full_name", "email", "phone", "original_name", "filename"})


def _masked(field: Any, value: Any) -> Any:
    if isinstance(field, EncryptedTextField) or field.name in _NEVER_SHOWN | _PII:
        return MASK
    return value if isinstance(value, (int, float, bool, type(None))) else str(value)


def _snapshot(instance: Model) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if isinstance(field, EncryptedTextField):
            raw = instance.__dict__.get(field.attname)
            values[field.name] = "sealed" if isinstance(raw, _Sealed) else "written"
        else:
            values[field.name] = _masked(field, getattr(instance, field.attname))
    return values


def _audited(sender: Any) -> bool:
    return sender._meta.label_lower in AUDITED_WRITES


def on_pre_save(sender: Any, instance: Model, raw: bool = False, **kwargs: Any) -> None:
    if raw or not _audited(sender) or instance._state.adding or instance.pk is None:
        return
    old = sender._base_manager.filter(pk=instance.pk).first()
    instance._audit_before = _snapshot(old) if old is not None else {}  # type: ignore[attr-defined]


def on_post_save(sender: Any, instance: Model, created: bool, raw: bool = False, **kw: Any) -> None:
    if raw or not _audited(sender):
        return
    after = _snapshot(instance)
    before: dict[str, Any] = getattr(instance, "_audit_before", {})
    update_fields = kw.get("update_fields")
    changes: dict[str, Any] = {}
    for name, value in after.items():
        if (
            update_fields is not None
            and name not in update_fields
            and f"{name}_id" not in update_fields
        ):
            continue
        if value == "written":
            changes[name] = MASK
        elif value == MASK:
            if created or before.get(name) != MASK:
                changes[name] = MASK
        elif created or before.get(name) != value:
            changes[name] = value if created else [before.get(name), value]
    changes.pop("updated_at", None)
    if not created and not changes:
        return
    audit_record(
        actor=current_user(),
        action=Action.CREATE if created else Action.UPDATE,
        obj=instance,
        detail={"changes": changes},
    )


def on_post_delete(sender: Any, instance: Model, **kwargs: Any) -> None:
    if _audited(sender):
        audit_record(actor=current_user(), action=Action.DELETE, obj=instance)


def on_groups_changed(
    sender: Any,
    instance: Any,
    action: str,
    reverse: bool,
    pk_set: set[int] | None,
    model: Any,
    **kwargs: Any,
) -> None:
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if reverse:  # group.user_set changed
        users, names = sorted(pk_set or []), [instance.name]
    else:
        users = [instance.pk]
        names = sorted(model.objects.filter(pk__in=pk_set or []).values_list("name", flat=True))
    for user_id in users:
        audit_record(
            actor=current_user(),
            action=Action.PERMISSION,
            object_type="accounts.user",
            object_id=str(user_id),
            detail={"change": action.removeprefix("post_"), "groups": names},
        )


def on_logged_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action=Action.SIGN_IN, obj=user, request=request)


def on_logged_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    audit_record(actor=user, action=Action.SIGN_OUT, obj=user, request=request)


def on_login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # The username typed is not stored: it may be a password typed into the wrong box.
    audit_record(
        actor=None,
        action=Action.SIGN_IN_FAILED,
        object_type="accounts.user",
        outcome=Outcome.FAILED,
        request=request,
    )


def connect() -> None:
    user_model = get_user_model()
    connection_created.connect(register_sqlite_function, dispatch_uid="privacy.sqlite_fn")
    user_logged_in.connect(on_logged_in, dispatch_uid="privacy.logged_in")
    user_logged_out.connect(on_logged_out, dispatch_uid="privacy.logged_out")
    user_login_failed.connect(on_login_failed, dispatch_uid="privacy.login_failed")
    m2m_changed.connect(
        on_groups_changed, sender=user_model.groups.through, dispatch_uid="privacy.groups"
    )
    pre_save.connect(on_pre_save, dispatch_uid="privacy.pre_save")
    post_save.connect(on_post_save, dispatch_uid="privacy.post_save")
    post_delete.connect(on_post_delete, dispatch_uid="privacy.post_delete")
