from __future__ import annotations

from django.urls import path

from oncoroute.privacy import views

urlpatterns = [
    path("my/privacy/", views.my_privacy, name="my_privacy"),
    path(
        "my/privacy/consents/<int:consent_id>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path(
        "my/privacy/cases/<str:reference>/marketing/",
        views.marketing_consent_give,
        name="marketing_consent_give",
    ),
    path("my/privacy/export/", views.my_data_export, name="my_data_export"),
    path("my/privacy/erasure/", views.erasure_request_create, name="erasure_request_create"),
    path("coordinator/erasure/", views.erasure_requests, name="erasure_requests"),
    path(
        "coordinator/erasure/<int:request_id>/approve/",
        views.erasure_request_approve,
        name="erasure_request_approve",
    ),
]
