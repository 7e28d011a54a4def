"""The patient's check-in link, and the coordinator's follow-up pages."""

from __future__ import annotations

from django.urls import path

from oncoroute.followup import views

urlpatterns = [
    # The check-in's emailed link: the token is the whole of the path's data.
    path("f/<str:token>/", views.check_in, name="followup_check_in"),
    path("coordinator/cases/<str:reference>/follow-up/", views.followup_case, name="followup_case"),
    path(
        "coordinator/cases/<str:reference>/follow-up/schedule/",
        views.followup_schedule_set,
        name="followup_schedule_set",
    ),
    path(
        "coordinator/cases/<str:reference>/follow-up/resend/",
        views.followup_link_resend,
        name="followup_link_resend",
    ),
    path("coordinator/follow-up/outcomes/", views.followup_outcomes, name="followup_outcomes"),
]
