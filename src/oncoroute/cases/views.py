"""Thin page views: validate input, call one service or selector, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from oncoroute.accounts.decorators import coordinator_required, patient_required
from oncoroute.accounts.models import User
from oncoroute.cases import selectors, services
from oncoroute.cases.forms import (
    NoteForm,
    QueueFilterForm,
    QueueSearchForm,
    RequestForm,
    TransitionForm,
)
from oncoroute.cases.models import Case
from oncoroute.cases.vocabulary import DESTINATION_COUNTRIES, SYMPTOMS, SpineRegion, Want
from oncoroute.cases.workflow import TransitionNotAllowed
from oncoroute.config.clients import client_address

SESSION_SUBMITTED = "submitted_case_ids"
SESSION_QUEUE_SEARCH = "queue_search"
QUEUE_PAGE_SIZE = 25
DESTINATIONS = dict(DESTINATION_COUNTRIES)


@login_not_required
@sensitive_post_parameters()
def landing(request: HttpRequest) -> HttpResponse:
    """The public page about treatment abroad, with the request form."""
    form = RequestForm(request.POST or None)
    if request.method == "POST":
        if form.is_spam:
            return redirect("request_received")
        if form.is_valid():
            try:
                case, created = services.case_submit(
                    request=form.case_request(), source_address=client_address(request)
                )
            except services.RequestRateLimited:
                form.add_error(
                    None,
                    _(
                        "We have received several requests from your connection in the last "
                        "hour. Please wait a little, or write to us by email."
                    ),
                )
            else:
                # A form sent again shows its case only to the browser that first sent it.
                if created:
                    submitted = request.session.get(SESSION_SUBMITTED, [])
                    request.session[SESSION_SUBMITTED] = [*submitted, case.pk][-10:]
                return redirect("request_received")
    status = 422 if form.is_bound else 200
    context = {"form": form, "first_answer_hours": settings.FIRST_ANSWER_HOURS}
    return render(request, "cases/landing.html", context, status=status)


@login_not_required
def request_received(request: HttpRequest) -> HttpResponse:
    """The confirmation, shown only in the browser session that sent the request."""
    case_ids = request.session.get(SESSION_SUBMITTED, [])
    case = Case.objects.filter(pk__in=case_ids).order_by("-pk").first()
    return render(
        request,
        "cases/request_received.html",
        {"case": case, "first_answer_hours": settings.FIRST_ANSWER_HOURS},
    )


@login_not_required
def request_link(request: HttpRequest, reference: str, token: str) -> HttpResponse:
    """The emailed link that adds a request to the account its address already has: a button,
    so that a mail scanner opening the link changes nothing."""
    linked = False
    failed = False
    if request.method == "POST":
        try:
            services.case_link_to_sender(reference=reference, token=token)
        except services.RequestLinkInvalid:
            failed = True
        else:
            linked = True
    status = 400 if failed else 200
    return render(
        request, "cases/request_link.html", {"linked": linked, "failed": failed}, status=status
    )


@coordinator_required
def coordinator_queue(request: HttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET or None)
    search = request.session.get(SESSION_QUEUE_SEARCH, "")
    filters = selectors.QueueFilters(search=search)
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.QueueFilters(
            state=data["state"],
            urgency=data["urgency"],
            country=data["country"],
            primary_cancer=data["primary_cancer"],
            search=search,
        )
    user: User = request.user  # type: ignore[assignment]
    cases = selectors.case_queue(user=user, filters=filters)
    page = Paginator(cases, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = "cases/queue.html#queue-table" if request.htmx else "cases/queue.html"  # type: ignore[attr-defined]
    return render(
        request,
        template,
        {
            "form": form,
            "search_form": QueueSearchForm(initial={"q": search}),
            "search": search,
            "page": page,
            "query": query.urlencode(),
        },
    )


@require_POST
@sensitive_post_parameters()
@coordinator_required
def coordinator_queue_search(request: HttpRequest) -> HttpResponseRedirect:
    """Keep the name or reference searched for in the session, then show the queue."""
    form = QueueSearchForm(request.POST)
    search = form.cleaned_data["q"].strip() if form.is_valid() else ""
    request.session[SESSION_QUEUE_SEARCH] = search
    filters = QueueFilterForm(QueryDict(request.POST.get("filters", "")))
    kept = {name: value for name, value in filters.data.items() if name in filters.fields}
    return redirect(
        f"{reverse('coordinator_queue')}?{urlencode(kept)}" if kept else "coordinator_queue"
    )


def _case_context(case: Case, *, for_patient: bool) -> dict[str, object]:
    return {
        "case": case,
        "events": selectors.case_timeline(case=case, for_patient=for_patient),
        "symptom_labels": [SYMPTOMS.get(s, s) for s in case.symptoms],
        "want_labels": [Want(w).label for w in case.wants if w in Want.values],
        "region_labels": [
            SpineRegion(r).label for r in case.spine_regions if r in SpineRegion.values
        ],
        "destination_labels": [DESTINATIONS.get(c, c) for c in case.preferred_countries],
    }


@coordinator_required
def coordinator_case(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.case_for_coordinator(user=request.user, reference=reference)  # type: ignore[arg-type]
    context = _case_context(case, for_patient=False)
    context.update(
        note_form=NoteForm(),
    )
    return render(request, "cases/coordinator_case.html", context)


def _back_to_case(case: Case) -> HttpResponseRedirect:
    return redirect(reverse("coordinator_case", args=[case.reference]))


@require_POST
@coordinator_required
def coordinator_case_assign(request: HttpRequest, reference: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    case = selectors.case_for_coordinator(user=user, reference=reference, for_write=True)
    services.case_assign(case=case, actor=user, assignee=user)
    messages.success(
        request, _("%(reference)s is now assigned to you.") % {"reference": case.reference}
    )
    return _back_to_case(case)


@require_POST
@sensitive_post_parameters()
@coordinator_required
def coordinator_case_note(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.case_for_coordinator(user=request.user, reference=reference, for_write=True)  # type: ignore[arg-type]
    form = NoteForm(request.POST)
    if form.is_valid():
        services.case_note_add(case=case, actor=request.user, text=form.cleaned_data["text"])  # type: ignore[arg-type]
        messages.success(request, _("Note added."))
    else:
        messages.error(request, _("A note cannot be empty."))
    return _back_to_case(case)


@require_POST
@coordinator_required
def coordinator_case_transition(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.case_for_coordinator(user=request.user, reference=reference, for_write=True)  # type: ignore[arg-type]
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That change is not possible."))
        return _back_to_case(case)
    try:
        case = services.case_transition(
            case=case,
            actor=request.user,  # type: ignore[arg-type]
            to=form.cleaned_data["to"],
            reason=form.cleaned_data["reason"],
            confirmed=form.cleaned_data["confirmed"],
        )
    except TransitionNotAllowed as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(reference)s is now “%(state)s”.")
            % {"reference": case.reference, "state": case.get_state_display()},
        )
    return _back_to_case(case)


@patient_required
def patient_cases(request: HttpRequest) -> HttpResponse:
    cases = selectors.cases_of_patient(user=request.user)  # type: ignore[arg-type]
    if len(cases) == 1:
        return redirect("patient_case", reference=cases[0].reference)
    return render(request, "cases/patient_cases.html", {"cases": cases})


@patient_required
def patient_case(request: HttpRequest, reference: str) -> HttpResponse:
    case = selectors.case_for_patient(user=request.user, reference=reference)  # type: ignore[arg-type]
    return render(request, "cases/patient_case.html", _case_context(case, for_patient=True))
