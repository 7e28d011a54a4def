"""The request form and its confirmation, the queue and case page, the patient's pages."""

from __future__ import annotations

from django.urls import path

from oncoroute.cases import safety_views, views

urlpatterns = [
    path("", views.landing, name="landing"),
    path("request/received/", views.request_received, name="request_received"),
    path("guide/", views.guide_index, name="guide_index"),
    path("guide/<slug:topic>/", views.guide_page, name="guide_page"),
    path(
        "request/<str:reference>/add-to-account/<str:token>/",
        views.request_link,
        name="request_link",
    ),
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
    path("coordinator/cases/<str:reference>/merge/", views.case_merge, name="case_merge"),
    path(
        "coordinator/cases/<str:reference>/messages/",
        views.coordinator_case_message,
        name="coordinator_case_message",
    ),
    path(
        "coordinator/cases/<str:reference>/messages/<int:message_id>/flag/",
        views.coordinator_message_flag,
        name="coordinator_message_flag",
    ),
    path(
        "coordinator/cases/<str:reference>/clearance/",
        safety_views.case_travel_clearance,
        name="case_travel_clearance",
    ),
    path("my/", views.patient_cases, name="patient_cases"),
    path("my/cases/<str:reference>/", views.patient_case, name="patient_case"),
    path(
        "my/cases/<str:reference>/messages/",
        views.patient_case_message,
        name="patient_case_message",
    ),
    path(
        "my/cases/<str:reference>/time-zone/",
        views.patient_case_time_zone,
        name="patient_case_time_zone",
    ),
]
