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
    sign_in_target,
)
from oncoroute.privacy.fields import EncryptedTextField, _Sealed

MASK = "***"
# Models whose changes are audited: "app_label.model" names, resolved when signals fire.
AUDITED_WRITES = frozenset(
    {
        "cases.case",
        "cases.consent",
        "cases.caseshare",
        "triage.triagesnapshot",
        "records.document",
        "privacy.datakey",
        "privacy.breach",
        "privacy.erasurerequest",
    }
)
# The fields whose values a write diff shows: workflow states, times, and ids of staff, clinics
# and the rows themselves. Every other field, and any field added later, shows as MASK: a value
# of a person's case (urgency, country, language, who wrote, the patient, a file's hash, the
# cancer's blind index) must never outlive the case's erasure in the append-only trail.
SHOWN_VALUES: dict[str, frozenset[str]] = {
    "cases.case": frozenset(
        {"id", "state", "assigned_to", "data_key", "created_at", "first_response_at", "closed_at"}
    ),
    "cases.consent": frozenset(
        {"id", "case", "purpose", "clinic", "text_version", "given_at", "withdrawn_at"}
    ),
    "cases.caseshare": frozenset({"id", "case", "clinic", "consent", "shared_by", "shared_at"}),
    "triage.triagesnapshot": frozenset(
        {"id", "case", "rules_version", "recorded_by", "recorded_at"}
    ),
    "records.document": frozenset({"id", "case", "kind", "created_at"}),
    "privacy.datakey": frozenset(
        {"id", "master_key_id", "created_at", "rewrapped_at", "destroyed_at"}
    ),
    "privacy.breach": frozenset(
        {
            "id",
            "title",
            "detected_at",
            "notified_at",
            "affected_count",
            "high_risk",
            "created_at",
        }
    ),
    "privacy.erasurerequest": frozenset(
        {"id", "state", "requested_at", "decided_by_id", "decided_at"}
    ),
}
_WRITTEN = object()  # an encrypted field assigned in memory: its value is never compared


def _shown(label: str, name: str) -> bool:
    return name in SHOWN_VALUES.get(label, frozenset())


def masked_changes(label: str, changes: dict[str, Any]) -> dict[str, Any]:
    """``changes`` with every value not shown for ``label`` masked (also for rows of old)."""
    return {
        name: value if _shown(label, name) and value is not _WRITTEN else MASK
        for name, value in changes.items()
    }


def _plain(value: Any) -> Any:
    return value if isinstance(value, (int, float, bool, type(None))) else str(value)


def _snapshot(instance: Model) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if isinstance(field, EncryptedTextField):
            raw = instance.__dict__.get(field.attname)
            if not isinstance(raw, _Sealed):  # a sealed value not read is unchanged
                values[field.name] = _WRITTEN
        else:
            values[field.name] = _plain(getattr(instance, field.attname))
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
    label = sender._meta.label_lower
    before: dict[str, Any] = getattr(instance, "_audit_before", {})
    update_fields = kw.get("update_fields")
    changes: dict[str, Any] = {}
    for name, value in _snapshot(instance).items():
        if update_fields is not None and not {name, f"{name}_id"} & set(update_fields):
            continue
        if created or value is _WRITTEN:
            changes[name] = value
        elif before.get(name) != value:
            changes[name] = [before.get(name), value]
    changes.pop("updated_at", None)
    if not created and not changes:
        return
    audit_record(
        actor=current_user(),
        action=Action.CREATE if created else Action.UPDATE,
        obj=instance,
        detail={"changes": masked_changes(label, changes)},
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
    audit_sign_in_refused(credentials=credentials, request=request, reason="")


def audit_sign_in_refused(
    *, credentials: dict[str, Any], request: HttpRequest | None, reason: str
) -> None:
    """A wrong password, or a sign-in the limiter stopped (``reason``), and whom it aimed at."""
    login = str(credentials.get("email") or credentials.get("username") or "")
    account, detail = sign_in_target(login)
    audit_record(
        actor=None,
        action=Action.SIGN_IN_FAILED,
        object_type="accounts.user",
        object_id=account,
        outcome=Outcome.FAILED,
        request=request,
        detail={**detail, **({"reason": reason} if reason else {})},
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
