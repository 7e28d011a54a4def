"""A case's clinical findings, its triage panel's printable summary and its triage history."""

from __future__ import annotations

from django.urls import path

from oncoroute.triage import views

urlpatterns = [
    path(
        "coordinator/cases/<str:reference>/findings/",
        views.case_findings,
        name="case_findings",
    ),
    path(
        "coordinator/cases/<str:reference>/triage/print/",
        views.case_triage_print,
        name="case_triage_print",
    ),
    path(
        "coordinator/cases/<str:reference>/triage/history/",
        views.case_triage_history,
        name="case_triage_history",
    ),
]
