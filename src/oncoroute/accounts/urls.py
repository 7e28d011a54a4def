"""Sign-in, second factors, email, password and sessions (django-allauth, our templates), and the
set-password link of the request email (Django's view)."""

from __future__ import annotations

from allauth.account import views as allauth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path

from oncoroute.accounts.views import SetPasswordDoneView, SetPasswordView, account_overview

public = login_not_required

urlpatterns = [
    # The project's own names for allauth's sign-in and sign-out.
    path("login/", allauth_views.login, name="login"),
    path("logout/", allauth_views.logout, name="logout"),
    path(
        "set-password/<uidb64>/<token>/",
        public(SetPasswordView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "set-password/done/",
        public(SetPasswordDoneView.as_view()),
        name="password_reset_complete",
    ),
    path("me/", account_overview, name="account_overview"),
    path("", include("allauth.urls")),
]
