"""Who may do what: every URL of the site and the API, for every persona.

One row per URL name; per HTTP method, the expected outcome for each persona in the column
order below. URL parameters always point at `patient`'s own case and its objects, so
`other_patient` and the doctors show what a stranger gets. Outcomes:

- a status code (200, 302 to somewhere other than sign-in, 401, 403, 404, 405, 4xx of a form
  that was sent empty);
- LOGIN: a redirect to the sign-in page.

A URL without a row fails tests/security/test_access_matrix.py: a new page or endpoint needs a
decision here before it ships. Django admin URLs follow one rule (ADMIN_RULE) instead of rows.
"""

from __future__ import annotations

from typing import Final, Literal

ANON: Final = "anonymous"
PATIENT: Final = "patient"
OTHER_PATIENT: Final = "other_patient"
COORDINATOR: Final = "coordinator"
DOCTOR: Final = "clinic_doctor"
OTHER_DOCTOR: Final = "other_clinic_doctor"
ADMIN: Final = "admin"
PRINCIPALS: Final = (ANON, PATIENT, OTHER_PATIENT, COORDINATOR, DOCTOR, OTHER_DOCTOR, ADMIN)

LOGIN: Final = "login"
Outcome = int | Literal["login"]
Row = tuple[Outcome, Outcome, Outcome, Outcome, Outcome, Outcome, Outcome]

L = LOGIN
EVERYONE_200: Row = (200, 200, 200, 200, 200, 200, 200)
SIGNED_IN_405: Row = (L, 405, 405, 405, 405, 405, 405)
COORDINATOR_ONLY: Row = (L, 403, 403, 200, 403, 403, 403)
COORDINATOR_POST: Row = (L, 403, 403, 302, 403, 403, 403)
# Records of a case: its patient and the coordinators; a stranger's request is a 404.
CASE_RECORDS: Row = (L, 200, 404, 200, 403, 403, 403)

MATRIX: dict[str, dict[str, Row]] = {
    # Public pages ---------------------------------  anon  pat  other coord  doc  odoc admin
    # An empty POST is an unbound form (the page again); a filled one is tested in tests/web.
    "landing": {"GET": EVERYONE_200, "POST": EVERYONE_200},
    "request_received": {"GET": EVERYONE_200},
    "clinic_directory": {"GET": EVERYONE_200},
    "clinic_detail": {"GET": EVERYONE_200},
    # Accounts
    "login": {
        "GET": (200, 302, 302, 302, 302, 302, 302),
        "POST": (200, 302, 302, 302, 302, 302, 302),
    },
    "logout": {"GET": SIGNED_IN_405, "POST": (L, 302, 302, 302, 302, 302, 302)},
    "password_reset": {"GET": EVERYONE_200, "POST": EVERYONE_200},
    "password_reset_done": {"GET": EVERYONE_200},
    "password_reset_confirm": {"GET": EVERYONE_200},
    "password_reset_complete": {"GET": EVERYONE_200},
    "home": {"GET": (L, 302, 302, 302, 302, 302, 302)},
    # Patient pages
    "patient_cases": {"GET": (L, 302, 302, 403, 403, 403, 403)},
    "patient_case": {"GET": (L, 200, 404, 403, 403, 403, 403)},
    # Coordinator workspace
    "coordinator_queue": {"GET": COORDINATOR_ONLY},
    "coordinator_case": {"GET": COORDINATOR_ONLY},
    "coordinator_case_assign": {"GET": SIGNED_IN_405, "POST": COORDINATOR_POST},
    "coordinator_case_note": {"GET": SIGNED_IN_405, "POST": COORDINATOR_POST},
    "coordinator_case_transition": {"GET": SIGNED_IN_405, "POST": COORDINATOR_POST},
    "case_findings": {"GET": COORDINATOR_ONLY, "POST": (L, 403, 403, 422, 403, 403, 403)},
    "case_triage_print": {"GET": COORDINATOR_ONLY},
    "case_triage_history": {"GET": COORDINATOR_ONLY},
    "case_clinics": {"GET": COORDINATOR_ONLY},
    "case_clinics_compare": {"GET": COORDINATOR_POST},
    "case_shortlist_save": {"GET": SIGNED_IN_405, "POST": COORDINATOR_POST},
    # Records ------------------------------------------  anon  pat  other coord  doc  odoc admin
    "records_upload_start": {"GET": SIGNED_IN_405, "POST": (L, 422, 404, 422, 403, 403, 403)},
    "records_case_panel": {"GET": CASE_RECORDS},
    "records_document": {"GET": CASE_RECORDS},
    "records_series_preview": {"GET": CASE_RECORDS},
    "records_study_archive": {"GET": CASE_RECORDS},
    "records_study_deid_retry": {"GET": SIGNED_IN_405, "POST": COORDINATOR_POST},
    # An upload belongs to the person who started it, not to the case.
    "records_upload": {
        "GET": (L, 200, 404, 404, 403, 403, 403),
        "DELETE": (L, 200, 404, 404, 403, 403, 403),
    },
    "records_upload_chunk": {"GET": SIGNED_IN_405, "POST": (L, 400, 404, 404, 403, 403, 403)},
    "records_upload_complete": {"GET": SIGNED_IN_405, "POST": (L, 409, 404, 404, 403, 403, 403)},
    # API: endpoints answer 401 themselves; the schema and docs are behind the site's sign-in.
    "api:openapi-json": {"GET": (L, 200, 200, 200, 200, 200, 200)},
    "api:openapi-view": {"GET": (L, 200, 200, 200, 200, 200, 200)},
    "api:api-root": {"GET": (L, 404, 404, 404, 404, 404, 404)},
    "api:triage_findings": {"POST": (401, 401, 401, 200, 200, 200, 401)},
    "api:clinic_directory": {"GET": EVERYONE_200},
    "api:case_clinic_matches": {"GET": (401, 401, 401, 200, 401, 401, 401)},
    # Privacy: a patient's own consents, data export and erasure request; approvals by staff.
    "my_privacy": {"GET": (L, 200, 200, 403, 403, 403, 403)},
    "consent_withdraw": {"GET": SIGNED_IN_405, "POST": (L, 302, 404, 403, 403, 403, 403)},
    "marketing_consent_give": {"GET": SIGNED_IN_405, "POST": (L, 302, 404, 403, 403, 403, 403)},
    "my_data_export": {"GET": (L, 200, 200, 403, 403, 403, 403)},
    "erasure_request_create": {"GET": SIGNED_IN_405, "POST": (L, 302, 302, 403, 403, 403, 403)},
    "erasure_requests": {"GET": COORDINATOR_ONLY},
    "erasure_request_approve": {"GET": SIGNED_IN_405, "POST": (L, 403, 403, 404, 403, 403, 403)},
}

MATRIX |= {
    # Django admin's own sign-in and sign-out (the rest follows ADMIN_RULE below).
    "admin:login": {"GET": (200, 200, 200, 200, 200, 200, 302)},
    "admin:logout": {"GET": (L, 302, 302, 302, 302, 302, 405)},
}

# Django admin, by rule: everyone but the operator is sent to a sign-in page. The operator gets
# in: 200, a redirect inside the admin (a missing object), 403 where the admin itself refuses
# (adding task results, autocomplete without its parameters), 404 for an unknown admin path,
# 405 for a POST-only view.
ADMIN_NAMESPACE: Final = "admin"
ADMIN_ALLOWED_FOR_ADMIN: Final = frozenset({200, 302, 403, 404, 405})
