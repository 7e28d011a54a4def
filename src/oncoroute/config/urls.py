"""The site's URL map: public pages, accounts, workspaces and portals, the API."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from oncoroute.api.urls import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("accounts/", include("oncoroute.accounts.urls")),
    path("", include("oncoroute.web.urls")),
]
