from __future__ import annotations

from django.urls import path

from oncoroute.clinics import views

urlpatterns = [
    path("clinics/", views.directory, name="clinic_directory"),
    # Before the clinic's page: "compare" is not a clinic.
    path("clinics/compare/", views.clinic_compare, name="clinic_compare"),
    path("clinics/<slug:slug>/", views.clinic_detail, name="clinic_detail"),
    path("coordinator/cases/<str:reference>/clinics/", views.case_clinics, name="case_clinics"),
    path(
        "coordinator/cases/<str:reference>/clinics/compare/",
        views.case_clinics_compare,
        name="case_clinics_compare",
    ),
    path(
        "coordinator/cases/<str:reference>/clinics/shortlist/",
        views.case_shortlist_save,
        name="case_shortlist_save",
    ),
]
