from __future__ import annotations

from django.urls import path

from oncoroute.web import clinic_views, triage_views, views

urlpatterns = [
    path("", views.landing, name="landing"),
    path("request/received/", views.request_received, name="request_received"),
    path(
        "request/<str:reference>/add-to-account/<str:token>/",
        views.request_link,
        name="request_link",
    ),
    path("home/", views.home, name="home"),
    path("coordinator/", views.coordinator_queue, name="coordinator_queue"),
    path("coordinator/search/", views.coordinator_queue_search, name="coordinator_queue_search"),
    path("coordinator/cases/<str:reference>/", views.coordinator_case, name="coordinator_case"),
    path(
        "coordinator/cases/<str:reference>/assign/",
        views.coordinator_case_assign,
        name="coordinator_case_assign",
    ),
    path(
        "coordinator/cases/<str:reference>/note/",
        views.coordinator_case_note,
        name="coordinator_case_note",
    ),
    path(
        "coordinator/cases/<str:reference>/transition/",
        views.coordinator_case_transition,
        name="coordinator_case_transition",
    ),
    path(
        "coordinator/cases/<str:reference>/findings/",
        triage_views.case_findings,
        name="case_findings",
    ),
    path(
        "coordinator/cases/<str:reference>/triage/print/",
        triage_views.case_triage_print,
        name="case_triage_print",
    ),
    path(
        "coordinator/cases/<str:reference>/triage/history/",
        triage_views.case_triage_history,
        name="case_triage_history",
    ),
    path("portal/", clinic_views.clinic_home, name="clinic_home"),
    path("my/", views.patient_cases, name="patient_cases"),
    path("my/cases/<str:reference>/", views.patient_case, name="patient_case"),
]
