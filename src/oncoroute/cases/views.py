"""Thin page views: validate input, call one service or selector, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from oncoroute.accounts.decorators import coordinator_required, patient_required
from oncoroute.accounts.models import User
from oncoroute.cases import guide, selectors, services
from oncoroute.cases.forms import (
    MessageForm,
    NoteForm,
    QueueFilterForm,
    QueueSearchForm,
    RequestForm,
    TimeZoneForm,
    TransitionForm,
)
from oncoroute.cases.models import Case, Message
from oncoroute.cases.timezones import needs_choice, shown_zone, zone_label
from oncoroute.cases.vocabulary import DESTINATION_COUNTRIES, SYMPTOMS, SpineRegion, Want
from oncoroute.cases.workflow import TransitionNotAllowed
from oncoroute.config.clients import client_address
from oncoroute.records.content import RecordRefused
from oncoroute.records.services import message_with_attachments_send

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
            unread_messages=data["unread_messages"],
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
        **_thread_context(case, side=Message.Side.COORDINATOR),
    )
    return render(request, "cases/coordinator_case.html", context)


def _thread_context(case: Case, *, side: str, form: MessageForm | None = None) -> dict[str, object]:
    """The thread as the page shows it, then marked read by ``side``: the messages that were
    unread when the page was drawn keep their "new" mark on it."""
    thread = list(selectors.message_thread(case=case))
    unread = selectors.messages_unread(case=case, side=side)
    services.messages_mark_read(case=case, side=side)
    return {
        "thread": thread,
        "thread_unread": unread,
        "message_form": form or MessageForm(),
        "message_max_length": settings.MESSAGE_MAX_LENGTH,
    }


@require_POST
@sensitive_post_parameters()
@coordinator_required
def coordinator_case_message(request: HttpRequest, reference: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    case = selectors.case_for_coordinator(user=user, reference=reference, for_write=True)
    form = MessageForm(request.POST, request.FILES)
    try:
        _message_send(form, case=case, author=user, side=Message.Side.COORDINATOR)
    except (services.MessageRefused, RecordRefused) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Message sent to the family."))
    return redirect(reverse("coordinator_case", args=[case.reference]) + "#messages")


def _message_send(form: MessageForm, *, case: Case, author: User, side: str) -> Message:
    """The form's message with its attachments; refused with the reason the form gave."""
    if not form.is_valid():
        raise services.MessageRefused(" ".join(str(e) for e in form.errors.get("attachments", [])))
    return message_with_attachments_send(
        case=case,
        author=author,
        side=side,
        body=form.cleaned_data["body"],
        files=form.cleaned_data["attachments"],
    )


@require_POST
@coordinator_required
def coordinator_message_flag(request: HttpRequest, reference: str, message_id: int) -> HttpResponse:
    """The coordinator read cord-compression warning signs in the family's message."""
    user: User = request.user  # type: ignore[assignment]
    case = selectors.case_for_coordinator(user=user, reference=reference, for_write=True)
    message = get_object_or_404(case.messages, pk=message_id)
    try:
        services.message_warning_flag(message=message, actor=user)
    except services.MessageRefused as error:
        messages.error(request, str(error))
    else:
        messages.warning(
            request,
            _(
                "Flagged: the case cannot move into trip planning or travel until a clinician "
                "records that the patient was assessed locally and is fit to travel."
            ),
        )
    return redirect(reverse("coordinator_case", args=[case.reference]) + "#messages")


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
        services.case_note_add(
            case=case,
            actor=request.user,  # type: ignore[arg-type]
            text=form.cleaned_data["text"],
            phone_call=form.cleaned_data["phone_call"],
        )
        messages.success(request, _("Note added."))
    else:
        messages.error(request, _("A note cannot be empty."))
    return _back_to_case(case)


@require_POST
@coordinator_required
def case_merge(request: HttpRequest, reference: str) -> HttpResponse:
    """Merge a flagged second request into the sender's earlier case, once confirmed."""
    case = selectors.case_for_coordinator(user=request.user, reference=reference, for_write=True)  # type: ignore[arg-type]
    into = case.likely_duplicate_of
    if into is None or request.POST.get("confirm") != "yes":
        messages.error(request, _("Tick the box to confirm it is the same patient."))
        return _back_to_case(case)
    try:
        services.case_merge(case=case, into=into, actor=request.user)  # type: ignore[arg-type]
    except services.MergeRefused as refused:
        messages.error(request, str(refused))
        return _back_to_case(case)
    messages.success(request, _("Merged into %(reference)s.") % {"reference": into.reference})
    return _back_to_case(into)


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
    context = _patient_case_context(case)
    context.update(_thread_context(case, side=Message.Side.PATIENT))
    return render(request, "cases/patient_case.html", context)


def _patient_case_context(case: Case) -> dict[str, object]:
    """The patient's page: its times in the patient's own zone, and the question which zone
    where the country has several."""
    zone = shown_zone(country=case.country, chosen=case.time_zone)
    context = _case_context(case, for_patient=True)
    context.update(
        time_zone=zone,
        time_zone_label=zone_label(zone),
        zone_form=(
            TimeZoneForm(country=case.country, initial={"time_zone": case.time_zone or zone})
            if needs_choice(case.country)
            else None
        ),
    )
    return context


@require_POST
@patient_required
def patient_case_time_zone(request: HttpRequest, reference: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    case = selectors.case_for_patient(user=user, reference=reference, action=None)
    form = TimeZoneForm(request.POST, country=case.country)
    zone = form.cleaned_data["time_zone"] if form.is_valid() else ""
    try:
        services.case_time_zone_set(case=case, actor=user, zone=zone)
    except services.TimeZoneRefused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Thank you: times are now shown in your time zone."))
    return redirect("patient_case", reference=case.reference)


@require_POST
@sensitive_post_parameters()
@patient_required
def patient_case_message(request: HttpRequest, reference: str) -> HttpResponse:
    """The patient writes to the coordinators; a refused message comes back with its reason
    and its text, so nothing typed is lost."""
    user: User = request.user  # type: ignore[assignment]
    case = selectors.case_for_patient(user=user, reference=reference, action=None)
    form = MessageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            _message_send(form, case=case, author=user, side=Message.Side.PATIENT)
        except (services.MessageRefused, RecordRefused) as error:
            form.add_error("body", str(error))
        else:
            messages.success(request, _("Your message has been sent to your coordinator."))
            return redirect(reverse("patient_case", args=[case.reference]) + "#messages")
    context = _patient_case_context(case)
    context.update(_thread_context(case, side=Message.Side.PATIENT, form=form))
    return render(request, "cases/patient_case.html", context, status=422)


@login_not_required
def guide_index(request: HttpRequest) -> HttpResponse:
    """The knowledge pages for patients and families."""
    context = {"pages": guide.guide_pages(), "last_reviewed": guide.LAST_REVIEWED}
    return render(request, "cases/guide_index.html", context)


@login_not_required
def guide_page(request: HttpRequest, topic: str) -> HttpResponse:
    """One knowledge page with its sources and the day it was last reviewed."""
    context = {"page": guide.guide_page(topic), "last_reviewed": guide.LAST_REVIEWED}
    return render(request, "cases/guide_page.html", context)
