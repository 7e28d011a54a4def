"""The set-password page the request email links to (Django's view, with the email verified)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpResponse
from django.urls import reverse_lazy

from oncoroute.accounts.services import email_verify


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """Choosing a password through the emailed link also proves the email is theirs."""

    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:  # type: ignore[type-arg]
        response = super().form_valid(form)
        email_verify(user=form.user)
        return response
