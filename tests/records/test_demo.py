"""The demo comes with imaging: a CT disc sent by the demo patient, which the worker unpacks and
de-identifies, so that the viewer and the clinic's portal have images from the first start."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from oncoroute.records.models import Instance, Study, Upload, ViewerImage
from oncoroute.records.tasks import study_deidentify, upload_index
from oncoroute.referrals.models import Referral

pytestmark = pytest.mark.django_db


def test_the_demo_disc_is_left_to_the_worker_which_indexes_and_de_identifies_it(
    settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.RECORDS_DEID_JOBS = 1
    out = StringIO()
    call_command("demo_data", stdout=out)
    assert "Demo imaging" in out.getvalue()
    upload = Upload.objects.get()
    assert upload.state == Upload.State.PROCESSING  # the worker's to do, not the command's
    assert upload.case == Referral.objects.get().case

    # The worker's two tasks, as it runs them.
    assert upload_index.call(upload_id=str(upload.pk)) == "done"
    study = Study.objects.get()
    assert study_deidentify.call(study_id=study.pk) == "done"
    study.refresh_from_db()
    assert Instance.objects.count() == 60 and study.series.count() == 2
    assert study.deid_state == Study.Deid.DONE and study.deid_summary["written"] == 60
    assert ViewerImage.objects.exclude(file="").count() == 60

    call_command("demo_data", stdout=StringIO())
    assert Upload.objects.count() == 1  # loading again sends nothing more
