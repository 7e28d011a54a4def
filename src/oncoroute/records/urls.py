from __future__ import annotations

from django.urls import path

from oncoroute.records import staff_views, views

urlpatterns = [
    path("cases/<str:reference>/uploads/", views.upload_start, name="records_upload_start"),
    path("cases/<str:reference>/panel/", views.case_panel, name="records_case_panel"),
    path(
        "cases/<str:reference>/documents/<int:document_id>/",
        views.document_download,
        name="records_document",
    ),
    path(
        "cases/<str:reference>/documents/<int:document_id>/share/",
        staff_views.document_share,
        name="records_document_share",
    ),
    path(
        "cases/<str:reference>/documents/<int:document_id>/pages/<int:page>.png",
        staff_views.document_page,
        name="records_document_page",
    ),
    path(
        "cases/<str:reference>/documents/<int:document_id>/shared-copy/",
        staff_views.document_shared_copy,
        name="records_document_shared_copy",
    ),
    path(
        "cases/<str:reference>/series/<int:series_id>/preview.png",
        views.series_preview,
        name="records_series_preview",
    ),
    path(
        "cases/<str:reference>/studies/<int:study_id>/deidentified.zip",
        views.study_archive,
        name="records_study_archive",
    ),
    path(
        "cases/<str:reference>/studies/<int:study_id>/deidentify/",
        views.study_deid_retry,
        name="records_study_deid_retry",
    ),
    path(
        "cases/<str:reference>/studies/<int:study_id>/review/",
        staff_views.study_review,
        name="records_study_review",
    ),
    path(
        "cases/<str:reference>/held/<int:held_id>/preview.png",
        staff_views.held_image_preview,
        name="records_held_image_preview",
    ),
    path(
        "cases/<str:reference>/held/<int:held_id>/",
        staff_views.held_image_decide,
        name="records_held_image_decide",
    ),
    path("studies/<int:study_id>/viewer/", staff_views.study_viewer, name="records_study_viewer"),
    path(
        "series/<int:series_id>/frames/<int:frame>.png",
        staff_views.series_frame,
        name="records_series_frame",
    ),
    path("uploads/<uuid:upload_id>/", views.upload_detail, name="records_upload"),
    path("uploads/<uuid:upload_id>/chunk", views.upload_chunk, name="records_upload_chunk"),
    path(
        "uploads/<uuid:upload_id>/complete",
        views.upload_complete,
        name="records_upload_complete",
    ),
]
