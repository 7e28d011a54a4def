"""Changes the patient should hear about, batched into one email per case: each change is a
`PatientNotice`; the sender (cases.tasks.patient_notices_send, `oncoroute notify`) sends one
email for a case's pending notices once the case has been quiet for a minute."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Min, Q
from django.utils import timezone

from oncoroute.cases.models import Case, PatientNotice


def patient_notice_queue(*, case: Case, kind: str) -> PatientNotice:
    """Queue a change for the patient's next batched email, and a run of the sender once the
    case has been quiet for a minute (after commit; `oncoroute notify` catches any missed)."""
    notice = PatientNotice.objects.create(case=case, kind=kind)
    from oncoroute.cases.tasks import patient_notices_send

    run_after = notice.created_at + timedelta(seconds=settings.PATIENT_NOTICE_QUIET_SECONDS + 1)
    send = patient_notices_send
    if send.get_backend().supports_defer:
        send = send.using(run_after=run_after)
    # A backend that cannot wait runs it now, which finds the batch not yet due: `notify` sends it.
    transaction.on_commit(lambda: send.enqueue(case_id=case.pk))
    return notice


def patient_notices_due(*, now: datetime | None = None) -> list[int]:
    """The cases whose pending notices may go out: quiet for a minute, or waiting too long."""
    now = now or timezone.now()
    quiet = now - timedelta(seconds=settings.PATIENT_NOTICE_QUIET_SECONDS)
    overdue = now - timedelta(seconds=settings.PATIENT_NOTICE_MAX_WAIT_SECONDS)
    pending = (
        PatientNotice.objects.filter(sent_at__isnull=True)
        .values("case_id")
        .annotate(newest=Max("created_at"), oldest=Min("created_at"))
        .filter(Q(newest__lte=quiet) | Q(oldest__lte=overdue))
    )
    return sorted(row["case_id"] for row in pending)


def patient_notices_claim(*, case_id: int, now: datetime | None = None) -> list[str]:
    """Mark the case's pending notices sent and return their kinds, if the batch is due; a
    notice is claimed once, so two runs at once send one email. Call inside the transaction
    that sends the email, so a failed send leaves them pending."""
    now = now or timezone.now()
    if case_id not in patient_notices_due(now=now):
        return []
    pending = PatientNotice.objects.filter(case_id=case_id, sent_at__isnull=True)
    ids = list(pending.values_list("pk", flat=True))
    claimed = PatientNotice.objects.filter(pk__in=ids, sent_at__isnull=True).update(sent_at=now)
    if claimed == 0:
        return []
    kinds = PatientNotice.objects.filter(pk__in=ids, sent_at=now).values_list("kind", flat=True)
    return sorted(set(kinds), key=list(PatientNotice.Kind.values).index)
