"""The site's URL map: public pages, accounts, workspaces and portals, the API."""

from __future__ import annotations

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from oncoroute.accounts.views import home
from oncoroute.api.urls import api_urlpatterns

# The admin signs in through the site's sign-in, second factor included, never its own form.
admin.site.login = secure_admin_login(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", include("oncoroute.ops.urls")),
    path("admin/", admin.site.urls),
    path("api/", api_urlpatterns()),
    path("accounts/", include("oncoroute.accounts.urls")),
    path("home/", home, name="home"),
    # The language switcher of every page (a POST that sets the language cookie).
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("records/", include("oncoroute.records.urls")),
    path("", include("oncoroute.clinics.urls")),
    path("", include("oncoroute.privacy.urls")),
    path("", include("oncoroute.cases.urls")),
    path("", include("oncoroute.triage.urls")),
    path("", include("oncoroute.referrals.urls")),
    path("", include("oncoroute.followup.urls")),
    path("", include("oncoroute.trips.urls")),
]

# A lost connection to the database or Redis answers with the 503 page, any other error the 500.
handler500 = "oncoroute.config.unavailable.server_error"
handler400 = "oncoroute.config.unavailable.bad_request"
