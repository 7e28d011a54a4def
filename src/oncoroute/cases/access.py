"""Who may see and change which case: the one place that decides it.

Pages, the API, the admin, exports and downloads fetch cases through ``Case.objects.visible_to``
or ``case_for``; a case that is not yours is a 404, never a 403 that would confirm it exists.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import Http404

from oncoroute.accounts.roles import Role
from oncoroute.cases.models import Case, CaseShare
from oncoroute.privacy.audit import Action, audit_denied, audit_record

_NOTHING = Q(pk__in=[])


def case_visibility(user: Any) -> Q:
    """Coordinators see every case, patients their own, clinic doctors those shared with them."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return _NOTHING
    condition = _NOTHING
    if user.has_role(Role.COORDINATOR):
        return Q()
    if user.has_role(Role.PATIENT):
        condition |= Q(patient=user)
    if user.has_role(Role.CLINIC_DOCTOR) and user.clinic_id is not None:
        shared = CaseShare.objects.filter(
            clinic_id=user.clinic_id, consent__withdrawn_at__isnull=True
        ).values("case_id")
        condition |= Q(pk__in=shared)
    return condition


def case_editability(user: Any) -> Q:
    """Coordinators change any case; a patient only their own (consents, erasure requests)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return _NOTHING
    if user.has_role(Role.COORDINATOR):
        return Q()
    if user.has_role(Role.PATIENT):
        return Q(patient=user)
    return _NOTHING


def case_for(
    *,
    user: Any,
    reference: str,
    action: str | None = Action.READ,
    editable: bool = False,
    own: bool = False,
    related: tuple[str, ...] = ("assigned_to", "patient", "data_key"),
) -> Case:
    """The case ``user`` may see (or change, or owns), else a 404; audits ``action`` once."""
    cases = Case.objects.editable_by(user) if editable else Case.objects.visible_to(user)
    if own:
        cases = cases.filter(patient=user)
    case = cases.select_related(*related).filter(reference=reference).first()
    if case is None:
        audit_denied(actor=user, object_type="cases.case", object_id=reference)
        raise Http404("No such case.")
    if action is not None:
        audit_record(actor=user, action=action, obj=case)
    return case
