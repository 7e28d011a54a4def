"""Coordinator pages for clinical findings and the triage report."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from oncoroute.accounts.decorators import coordinator_required
from oncoroute.cases import selectors
from oncoroute.cases.models import Case
from oncoroute.cases.vocabulary import PRIMARY_FOR_TRIAGE, PRIMARY_SUBTYPES
from oncoroute.clinical import RED_FLAGS
from oncoroute.triage import services
from oncoroute.triage.display import summary_rows, triage_display
from oncoroute.triage.forms import bound_forms, findings_from_forms, initial_from_findings
from oncoroute.triage.models import TriageSnapshot
from oncoroute.triage.report import StoredTriage
from oncoroute.triage.selectors import case_triage_snapshots


def _starting_findings(case: Case) -> dict[str, Any]:
    """The latest findings, or what the request already told us: red flags and the primary."""
    latest = case_triage_snapshots(case=case).first()
    if latest is not None:
        return dict(latest.findings)
    start: dict[str, Any] = {}
    if flags := [symptom for symptom in case.symptoms if symptom in RED_FLAGS]:
        start["red_flags"] = flags
    if primary := PRIMARY_FOR_TRIAGE.get(case.primary_cancer):
        start["primary"] = primary
    return start


@sensitive_post_parameters()
@coordinator_required
def case_findings(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.case_for_coordinator(
        user=request.user,  # type: ignore[arg-type]
        reference=reference,
        for_write=request.method == "POST",
    )
    initial, lesions = initial_from_findings(_starting_findings(case))
    form, lesion_forms = bound_forms(request.POST if request.method == "POST" else None,
                                     initial, lesions)  # fmt: skip
    if request.method == "POST":
        findings = findings_from_forms(form, lesion_forms)
        if findings is not None:
            services.case_triage_record(case=case, actor=request.user, findings=findings)  # type: ignore[arg-type]
            messages.success(request, _("Findings saved and triage updated."))
            return redirect("coordinator_case", reference=case.reference)
    status = 422 if request.method == "POST" else 200
    context = {
        "case": case,
        "form": form,
        "lesion_forms": lesion_forms,
        "primary_subtypes": PRIMARY_SUBTYPES.get(case.primary_cancer, ()),
    }
    return render(request, "triage/findings_form.html", context, status=status)


def _snapshot(case: Case, snapshot_id: int | None) -> TriageSnapshot:
    snapshots = case_triage_snapshots(case=case)
    snapshot = snapshots.filter(pk=snapshot_id).first() if snapshot_id else snapshots.first()
    if snapshot is None:
        raise Http404("No triage for this case yet.")
    return snapshot


@coordinator_required
def case_triage_print(request: HttpRequest, reference: str) -> HttpResponse:
    """A one-page triage summary for clinicians."""
    case = selectors.case_for_coordinator(user=request.user, reference=reference)  # type: ignore[arg-type]
    snapshot = _snapshot(case, None)
    context = {"case": case, "snapshot": snapshot, **triage_display(snapshot)}
    return render(request, "triage/triage_print.html", context)


@coordinator_required
def case_triage_history(request: HttpRequest, reference: str) -> HttpResponse:
    """Every triage of the case side by side: what changed between snapshots."""
    case = selectors.case_for_coordinator(user=request.user, reference=reference)  # type: ignore[arg-type]
    snapshots = list(case_triage_snapshots(case=case))
    columns = [summary_rows(StoredTriage.from_stored(snapshot.report)) for snapshot in snapshots]
    rows = [
        (cells[0][0], [value for _, value in cells], len({value for _, value in cells}) > 1)
        for cells in zip(*columns, strict=True)
    ]
    context = {"case": case, "snapshots": snapshots, "rows": rows}
    return render(request, "triage/triage_history.html", context)
