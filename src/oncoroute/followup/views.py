"""The follow-up's pages: the patient's check-in through its emailed link (no sign-in; read by a
patient or a relative, so every string has its Russian translation, tests/i18n), and the
coordinator's follow-up page of a case and table of outcomes."""

from __future__ import annotations

import contextlib

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from oncoroute.accounts.decorators import coordinator_required
from oncoroute.accounts.models import User
from oncoroute.cases import selectors as case_selectors
from oncoroute.cases.models import Case
from oncoroute.followup import selectors, services
from oncoroute.followup.forms import CheckInForm, OutcomeFilterForm, ResendForm, ScheduleForm
from oncoroute.followup.models import CheckIn
from oncoroute.followup.outcomes import MIN_TO_COMPARE
from oncoroute.followup.vocabulary import interval_label


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _private(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@login_not_required
@require_http_methods(["GET", "POST"])
def check_in(request: HttpRequest, token: str) -> HttpResponse:
    """The check-in form; once answered, its thank-you page, with the emergency advice first
    when the answer reported warning signs. A link that expired, was replaced or taken off the
    schedule, or whose case is closed or consent withdrawn, is a page with no case data and the
    status of a missing page."""
    found = services.check_in_open(token=token)
    if found is None:
        return _private(render(request, "followup/check_in_gone.html", status=404))
    if found.is_answered:
        if request.method == "POST":
            return redirect("followup_check_in", token=token)
        done = {"check_in": found, "answers": selectors.answers_of(found)}
        return _private(render(request, "followup/check_in_done.html", done))
    posted = request.method == "POST"
    form = CheckInForm(request.POST if posted else None)
    if posted and form.is_valid():
        # Answered meanwhile (in a second tab): its thank-you page says so.
        with contextlib.suppress(services.FollowUpRefused):
            services.check_in_answer(
                check_in=found, respondent=form.cleaned_data["respondent"], answers=form.answers()
            )
        return redirect("followup_check_in", token=token)
    context = {"form": form, "interval": interval_label(found.interval)}
    status = 422 if posted else 200
    return _private(render(request, "followup/check_in.html", context, status=status))


def _coordinator_case(request: HttpRequest, reference: str, *, write: bool = True) -> Case:
    return case_selectors.case_for_coordinator(
        user=_user(request), reference=reference, for_write=write
    )


@require_GET
@coordinator_required
def followup_case(request: HttpRequest, reference: str) -> HttpResponse:
    """The case's return home, its schedule, and each check-in with its answer."""
    case = _coordinator_case(request, reference, write=False)
    follow_up = selectors.follow_up_of(case)
    initial = {}
    if follow_up is not None:
        initial = {"returned_on": follow_up.returned_on, "schedule": ", ".join(follow_up.schedule)}
    check_ins = [(row, selectors.answers_of(row)) for row in selectors.check_ins_of(case)]
    context = {
        "case": case,
        "follow_up": follow_up,
        "check_ins": check_ins,
        "form": ScheduleForm(initial=initial),
        "not_sendable": services.check_in_sendable(case),
        "days": services.link_days(),
    }
    return render(request, "followup/followup_case.html", context)


@require_POST
@coordinator_required
def followup_schedule_set(request: HttpRequest, reference: str) -> HttpResponse:
    case = _coordinator_case(request, reference)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("followup_case", reference=case.reference)
    try:
        services.followup_schedule(
            case=case, returned_on=form.cleaned_data["returned_on"],
            schedule=form.cleaned_data["schedule"], actor=_user(request),
        )  # fmt: skip
    except services.FollowUpRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The check-ins are planned."))
    return redirect("followup_case", reference=case.reference)


@require_POST
@coordinator_required
def followup_link_resend(request: HttpRequest, reference: str) -> HttpResponse:
    """Email a check-in's link again, with a new token (the old link stops opening)."""
    case = _coordinator_case(request, reference)
    form = ResendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a check-in to send."))
        return redirect("followup_case", reference=case.reference)
    row = get_object_or_404(CheckIn, pk=form.cleaned_data["check_in"], case=case)
    try:
        services.check_in_link_send(check_in=row, actor=_user(request))
    except services.FollowUpRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The check-in link is sent."))
    return redirect("followup_case", reference=case.reference)


@require_GET
@coordinator_required
def followup_outcomes(request: HttpRequest) -> HttpResponse:
    """Outcomes after the return home, by clinic or by treatment."""
    intervals = selectors.intervals_in_use()
    form = OutcomeFilterForm(request.GET or None, intervals=intervals)
    by, interval = selectors.BY_CLINIC, ""
    if form.is_valid():
        by = form.cleaned_data["by"] or selectors.BY_CLINIC
        interval = form.cleaned_data["interval"]
    rows = selectors.outcome_table(user=_user(request), by=by, interval=interval)
    context = {
        "form": form,
        "rows": rows,
        "by": by,
        "interval": interval,
        "min_to_compare": MIN_TO_COMPARE,
    }
    return render(request, "followup/outcomes.html", context)
