"""The clinic portal: where a partner clinic's doctors find the cases referred to them."""

from __future__ import annotations

from django.urls import path

from oncoroute.referrals import views

urlpatterns = [
    path("portal/", views.clinic_home, name="clinic_home"),
]
