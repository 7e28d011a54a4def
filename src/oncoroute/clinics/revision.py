"""Which revision of the directory is current: matching keeps its prepared directory per
revision, so it is rebuilt only after a clinic, an offering or an accreditation changes.

Saves and deletes, the admin's and the import's included, reach `directory_changed` through
signals. `QuerySet.update()` and `bulk_create()` send none: code that changes the directory
that way calls `directory_changed()` itself.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models.signals import post_delete, post_save

from oncoroute.clinics.models import Accreditation, Clinic, DirectoryRevision, Offering

_WATCHED = (Clinic, Offering, Accreditation)


def directory_revision() -> uuid.UUID | None:
    """The current revision's token; None before the directory has ever changed."""
    return DirectoryRevision.objects.values_list("token", flat=True).first()


def directory_changed(**_: Any) -> None:
    """Give the directory a new revision (a signal receiver: saves and deletes call it)."""
    if not DirectoryRevision.objects.update(token=uuid.uuid4()):
        DirectoryRevision.objects.create()


def watch_directory() -> None:
    """Connect `directory_changed` to every save and delete of what matching reads."""
    for model in _WATCHED:
        uid = f"directory-revision-{model.__name__}"
        post_save.connect(directory_changed, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(directory_changed, sender=model, dispatch_uid=f"{uid}-delete")
