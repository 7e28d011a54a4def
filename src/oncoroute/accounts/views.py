"""Where a person lands after signing in, and the set-password page the request email links to
(Django's view, with the email verified)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse_lazy

from oncoroute.accounts.models import User
from oncoroute.accounts.roles import Role
from oncoroute.accounts.services import email_verify


class SetPasswordView(auth_views.PasswordResetConfirmView):
    """Choosing a password through the emailed link also proves the email is theirs."""

    # Our page, not the admin's registration template that django.contrib.admin would lend it.
    template_name = "accounts/set_password.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form: SetPasswordForm) -> HttpResponse:  # type: ignore[type-arg]
        response = super().form_valid(form)
        email_verify(user=form.user)
        return response


def home(request: HttpRequest) -> HttpResponseRedirect:
    """Each role's own start page."""
    user: User = request.user  # type: ignore[assignment]
    if user.is_coordinator:
        return redirect("coordinator_queue")
    if user.is_superuser:
        return redirect("admin:index")
    if user.has_role(Role.CLINIC_DOCTOR):
        return redirect("clinic_home")
    return redirect("patient_cases")


class SetPasswordDoneView(auth_views.PasswordResetCompleteView):
    """The password is saved: sign in."""

    template_name = "accounts/set_password_done.html"


def account_overview(request: HttpRequest) -> HttpResponse:
    """One's own account: who is signed in, and the pages that change it."""
    return render(request, "accounts/overview.html")
