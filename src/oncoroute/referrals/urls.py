"""The clinic portal (a clinic's doctors), the coordinator's referral actions, and the patient's
choice of the clinics that may see the case."""

from __future__ import annotations

from django.urls import path

from oncoroute.referrals import home_doctor_views, patient_views, viewer_views, views

urlpatterns = [
    path(
        "my/cases/<str:reference>/clinics/",
        patient_views.patient_clinics,
        name="patient_clinics",
    ),
    path(
        "my/cases/<str:reference>/answers/",
        patient_views.patient_answers,
        name="patient_answers",
    ),
    path(
        "my/cases/<str:reference>/consultations/<int:consultation_id>/consultation.ics",
        patient_views.patient_consultation_ics,
        name="patient_consultation_ics",
    ),
    path(
        "my/cases/<str:reference>/answers/accept/",
        patient_views.plan_accept,
        name="plan_accept",
    ),
    path("portal/", views.clinic_home, name="clinic_home"),
    path("portal/referrals/<int:referral_id>/", views.referral_detail, name="referral_detail"),
    path(
        "portal/referrals/<int:referral_id>/move/",
        views.referral_move_by_clinic,
        name="referral_move_by_clinic",
    ),
    path(
        "portal/referrals/<int:referral_id>/answer/", views.referral_answer, name="referral_answer"
    ),
    path(
        "portal/referrals/<int:referral_id>/studies/<int:study_id>/archive/",
        views.referral_study_archive,
        name="referral_study_archive",
    ),
    path(
        "portal/referrals/<int:referral_id>/series/<int:series_id>/preview/",
        views.referral_series_preview,
        name="referral_series_preview",
    ),
    path(
        "portal/referrals/<int:referral_id>/documents/<int:document_id>/",
        views.referral_document,
        name="referral_document",
    ),
    path(
        "portal/referrals/<int:referral_id>/studies/<int:study_id>/viewer/",
        viewer_views.referral_study_viewer,
        name="referral_study_viewer",
    ),
    path(
        "portal/referrals/<int:referral_id>/series/<int:series_id>/frames/<int:frame>.png",
        viewer_views.referral_series_frame,
        name="referral_series_frame",
    ),
    path(
        "portal/consultations/<int:consultation_id>/move/",
        views.consultation_move_by_clinic,
        name="consultation_move_by_clinic",
    ),
    path(
        "coordinator/cases/<str:reference>/referrals/send/",
        views.case_referral_send,
        name="case_referral_send",
    ),
    path(
        "coordinator/referrals/<int:referral_id>/move/",
        views.referral_move_by_coordinator,
        name="referral_move_by_coordinator",
    ),
    path(
        "coordinator/referrals/<int:referral_id>/opinions/<int:opinion_id>/release/",
        views.opinion_release,
        name="opinion_release",
    ),
    path(
        "coordinator/referrals/<int:referral_id>/consultations/",
        views.consultation_schedule,
        name="consultation_schedule",
    ),
    path(
        "coordinator/consultations/<int:consultation_id>/move/",
        views.consultation_move_by_coordinator,
        name="consultation_move_by_coordinator",
    ),
    path(
        "coordinator/consultations/<int:consultation_id>/outcome/",
        views.consultation_outcome,
        name="consultation_outcome",
    ),
]

urlpatterns += [
    path(
        "my/cases/<str:reference>/home-doctor/",
        home_doctor_views.patient_home_doctor,
        name="patient_home_doctor",
    ),
    path(
        "my/cases/<str:reference>/home-doctor/waive/",
        home_doctor_views.patient_home_doctor_waive,
        name="patient_home_doctor_waive",
    ),
    path(
        "coordinator/cases/<str:reference>/home-doctor/",
        home_doctor_views.coordinator_home_doctor,
        name="coordinator_home_doctor",
    ),
    path(
        "coordinator/cases/<str:reference>/home-doctor/links/",
        home_doctor_views.home_doctor_link_send,
        name="home_doctor_link_send",
    ),
    path(
        "coordinator/cases/<str:reference>/home-doctor/links/<int:link_id>/revoke/",
        home_doctor_views.home_doctor_link_revoke,
        name="home_doctor_link_revoke",
    ),
    path(
        "coordinator/cases/<str:reference>/home-doctor/agreement/",
        home_doctor_views.home_doctor_agreement,
        name="home_doctor_agreement",
    ),
    # The home doctor's read-only link: the token is the whole of the path's data.
    path("h/<str:home_doctor_token>/", home_doctor_views.home_doctor_view, name="home_doctor_view"),
]
