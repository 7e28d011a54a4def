"""Links already sent by email keep working after the pages moved between apps."""

from __future__ import annotations

import pytest
from django.urls import resolve, reverse

SET_PASSWORD = "/accounts/set-password/MQ/abc-123/"
SENT = [
    ("password_reset_confirm", {"uidb64": "MQ", "token": "abc-123"}, SET_PASSWORD),
    ("patient_case", {"reference": "OR-2026-000001"}, "/my/cases/OR-2026-000001/"),
    ("coordinator_case", {"reference": "OR-2026-000001"}, "/coordinator/cases/OR-2026-000001/"),
    ("request_received", {}, "/request/received/"),
    ("home", {}, "/home/"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "kwargs", "path"), SENT)
def test_an_emailed_path_still_reaches_its_page(
    name: str, kwargs: dict[str, str], path: str
) -> None:
    assert reverse(name, kwargs=kwargs) == path
    assert resolve(path).url_name == name
