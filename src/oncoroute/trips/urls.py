from __future__ import annotations

from django.urls import path

from oncoroute.trips import document_views, handover_views, views

urlpatterns = [
    path("coordinator/cases/<str:reference>/trips/", views.coordinator_trips, name="trips_plan"),
    path(
        "coordinator/cases/<str:reference>/trips/figures/",
        views.trips_figures,
        name="trips_figures",
    ),
    path("coordinator/trips/<int:trip_id>/move/", views.trip_move, name="trip_move"),
    path("coordinator/trips/<int:trip_id>/confirm/", views.trip_confirm, name="trip_confirm"),
    path(
        "coordinator/trips/<int:trip_id>/checklist/<int:item_id>/",
        views.checklist_tick,
        name="trip_checklist_tick",
    ),
    path(
        "coordinator/cases/<str:reference>/trips/bookings/",
        views.booking_add,
        name="trip_booking_add",
    ),
    path("my/cases/<str:reference>/trips/", views.patient_itinerary, name="patient_itinerary"),
    path(
        "my/cases/<str:reference>/trips/itinerary.ics",
        views.patient_itinerary_ics,
        name="patient_itinerary_ics",
    ),
    # The way home: the handover to the doctor at home and each trip's return (handover_views).
    path(
        "coordinator/cases/<str:reference>/trips/handover/",
        handover_views.trip_handover,
        name="trip_handover",
    ),
    path(
        "coordinator/cases/<str:reference>/trips/handover/send/",
        handover_views.trip_handover_send,
        name="trip_handover_send",
    ),
    path(
        "coordinator/trips/<int:trip_id>/returned/",
        handover_views.trip_returned,
        name="trip_returned",
    ),
    path(
        "h/<str:home_doctor_token>/discharge-summary/",
        handover_views.home_doctor_discharge_summary,
        name="home_doctor_discharge_summary",
    ),
    # A trip's documents (document_views): the MEDIF draft and the invitation-letter request
    # for coordinators; the printable plan and the treatment card for the patient too.
    path(
        "coordinator/trips/<int:trip_id>/medif.pdf",
        document_views.trip_medif_pdf,
        name="trip_medif_pdf",
    ),
    path(
        "coordinator/trips/<int:trip_id>/invitation-letter/",
        document_views.trip_invitation_request,
        name="trip_invitation_request",
    ),
    path("trips/<int:trip_id>/plan.pdf", document_views.trip_plan_pdf, name="trip_plan_pdf"),
    path(
        "trips/<int:trip_id>/treatment-card.pdf",
        document_views.trip_treatment_card_pdf,
        name="trip_treatment_card_pdf",
    ),
]
