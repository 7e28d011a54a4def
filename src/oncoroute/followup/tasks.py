"""Background work of the follow-up, run by the Django tasks worker."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext, override
from django_tasks import task

from oncoroute.followup.models import CheckIn
from oncoroute.ops.steps import task_step


@task()
def check_in_warning_notify(*, check_in_id: int) -> int:
    """Tell the case's coordinator (else the shared address) that a check-in reported warning
    signs, with a link to the case's follow-up page: never an answer."""
    check_in = CheckIn.objects.select_related("case", "case__assigned_to").get(pk=check_in_id)
    case = check_in.case
    assignee = case.assigned_to
    recipients = [assignee.email] if assignee and assignee.email else settings.COORDINATOR_EMAILS
    url = settings.SITE_URL + reverse("followup_case", args=[case.reference])

    def to_coordinators() -> int:
        with override(settings.LANGUAGE_CODE):
            return send_mail(
                subject=gettext("URGENT follow-up answer on %(reference)s")
                % {"reference": case.reference},
                message=render_to_string(
                    "followup/email/coordinators_warning.txt", {"case": case, "url": url}
                ),
                from_email=None,
                recipient_list=list(recipients),
            )

    return task_step("coordinators", to_coordinators, skipped=1)
