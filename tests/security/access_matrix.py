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
EVERYONE_302: Row = (302, 302, 302, 302, 302, 302, 302)
EVERYONE_200_ANON: Row = (200, 302, 302, 302, 302, 302, 302)
SIGNED_IN_200: Row = (L, 200, 200, 200, 200, 200, 200)
SIGNED_IN_302: Row = (L, 302, 302, 302, 302, 302, 302)
SIGN_OUT_GET: Row = (302, 200, 200, 200, 200, 200, 200)
# Staff have a second factor, patients not (yet): 404 or 302 for what needs one.
STAFF_200: Row = (L, 302, 302, 200, 200, 200, 200)
STAFF_302: Row = (L, 404, 404, 302, 302, 302, 302)
# A referral's pages: the doctors of the clinic it went to; another clinic's doctor gets a 404.
CLINIC_X_ONLY: Row = (L, 403, 403, 403, 200, 404, 403)
# A clinic's system with its API token; no persona here holds one.
TOKEN_ONLY: Row = (401, 401, 401, 401, 401, 401, 401)

MATRIX: dict[str, dict[str, Row]] = {
    # Public pages ---------------------------------  anon  pat  other coord  doc  odoc admin
    # An empty POST is an unbound form (the page again); a filled one is tested in tests/cases.
    "landing": {"GET": EVERYONE_200, "POST": EVERYONE_200},
    "request_received": {"GET": EVERYONE_200},
    # The knowledge pages for patients and families (sample topic: the warning signs).
    "guide_index": {"GET": EVERYONE_200},
    "guide_page": {"GET": EVERYONE_200},
    # The emailed link that adds a request to its address's account: a page with a button for
    # anyone holding the link; a wrong or used token changes nothing (400).
    "request_link": {"GET": EVERYONE_200, "POST": (400,) * 7},
    "clinic_directory": {"GET": EVERYONE_200},
    # Up to three clinics side by side (none named here: the page says how to tick them).
    "clinic_compare": {"GET": EVERYONE_200},
    "clinic_detail": {"GET": EVERYONE_200},
    # The language switcher: sets the language cookie on POST, then goes back (here to "/").
    "set_language": {"GET": EVERYONE_302, "POST": EVERYONE_302},
    # Health answers for the load balancer: from loopback (the test client's address) without a
    # token; from elsewhere only with HEALTH_TOKEN (tests/ops/test_health.py). GET only.
    "healthz": {"GET": EVERYONE_200, "POST": (405,) * 7},
    "readyz": {"GET": EVERYONE_200, "POST": (405,) * 7},
    # Accounts
    "login": {
        "GET": (200, 302, 302, 302, 302, 302, 302),
        "POST": (200, 302, 302, 302, 302, 302, 302),
    },
    # Sign-out asks on GET and acts on POST; a stranger is sent to the landing page.
    "logout": {"GET": SIGN_OUT_GET, "POST": EVERYONE_302},
    # The set-password link of the request email (Django's view; a bad token is a page too).
    "password_reset_confirm": {"GET": EVERYONE_200, "POST": EVERYONE_200},
    "password_reset_complete": {"GET": EVERYONE_200},
    "home": {"GET": (L, 302, 302, 302, 302, 302, 302)},
    # Merging a flagged second request into the sender's earlier case: an empty POST has no
    # confirmation (and the world's case is not flagged), so nothing changes: back to the case.
    "case_merge": {"GET": SIGNED_IN_405, "POST": COORDINATOR_POST},
    # One's own account: who is signed in and the pages that change it.
    "account_overview": {"GET": SIGNED_IN_200},
    # allauth: sign-in and its stages, password reset, email verification. A stage reached
    # without a sign-in in progress goes back to the sign-in page.
    "account_login": {"GET": (200, 302, 302, 302, 302, 302, 302), "POST": EVERYONE_200_ANON},
    "account_logout": {"GET": SIGN_OUT_GET, "POST": EVERYONE_302},
    "account_signup": {"GET": EVERYONE_200_ANON, "POST": EVERYONE_200_ANON},
    "account_inactive": {"GET": EVERYONE_200},
    "account_confirm_login_code": {"GET": SIGNED_IN_302, "POST": SIGNED_IN_302},
    "account_email_verification_sent": {"GET": EVERYONE_200},
    "account_confirm_email": {"GET": EVERYONE_200, "POST": (404,) * 7},
    "account_reset_password": {"GET": EVERYONE_200, "POST": EVERYONE_200},
    "account_reset_password_done": {"GET": EVERYONE_200},
    "account_reset_password_from_key": {"GET": EVERYONE_200, "POST": EVERYONE_200},
    "account_reset_password_from_key_done": {"GET": EVERYONE_200},
    "mfa_authenticate": {"GET": SIGNED_IN_302, "POST": SIGNED_IN_302},
    # allauth: one's own account. Every signed-in person manages only their own.
    "account_email": {"GET": SIGNED_IN_200, "POST": SIGNED_IN_302},
    "account_change_password": {"GET": SIGNED_IN_200, "POST": SIGNED_IN_200},
    "account_set_password": {"GET": SIGNED_IN_302, "POST": SIGNED_IN_302},
    "account_reauthenticate": {"GET": SIGNED_IN_200, "POST": SIGNED_IN_200},
    "usersessions_list": {"GET": SIGNED_IN_200, "POST": SIGNED_IN_302},
    # Second factors: patients may add one, staff have one (tests/conftest.py). Changing one
    # asks for the password again first (302); what does not exist yet is a 404.
    "mfa_index": {"GET": SIGNED_IN_200},
    "mfa_activate_totp": {"GET": SIGNED_IN_302, "POST": SIGNED_IN_302},
    "mfa_deactivate_totp": {"GET": STAFF_302, "POST": STAFF_302},
    "mfa_reauthenticate": {"GET": STAFF_200, "POST": STAFF_200},
    "mfa_generate_recovery_codes": {"GET": SIGNED_IN_302, "POST": SIGNED_IN_302},
    "mfa_view_recovery_codes": {"GET": (L, 404, 404, 404, 404, 404, 404)},
    "mfa_download_recovery_codes": {"GET": (L, 404, 404, 404, 404, 404, 404)},
    # Patient pages
    "patient_cases": {"GET": (L, 302, 302, 403, 403, 403, 403)},
    "patient_case": {"GET": (L, 200, 404, 403, 403, 403, 403)},
    # The patient writes to the coordinators; an empty message is refused with the page (422).
    "patient_case_message": {"GET": SIGNED_IN_405, "POST": (L, 422, 404, 403, 403, 403, 403)},
    # The patient's time zone; an empty form changes nothing and goes back to the case page.
    "patient_case_time_zone": {"GET": SIGNED_IN_405, "POST": (L, 302, 404, 403, 403, 403, 403)},
    # Which shortlisted clinics may see the case: each tick a consent. An empty POST lacks the
    # hash of the consent text shown, so it changes nothing (422).
    "patient_clinics": {
        "GET": (L, 200, 404, 403, 403, 403, 403),
        "POST": (L, 422, 404, 403, 403, 403, 403),
    },
    # The patient's doctor at home: named by the patient (an empty form is refused, 422), or
    # the patient's choice to arrange the follow-up themselves.
    "patient_home_doctor": {
        "GET": (L, 200, 404, 403, 403, 403, 403),
        "POST": (L, 422, 404, 403, 403, 403, 403),
    },
    "patient_home_doctor_waive": {"GET": SIGNED_IN_405, "POST": (L, 302, 404, 403, 403, 403, 403)},
    # The clinics' released answers side by side (none released in the world: an empty page).
    "patient_answers": {"GET": (L, 200, 404, 403, 403, 403, 403)},
    # The family's trips: the picture, the days, the costs; and their calendar file.
    "patient_itinerary": {"GET": (L, 200, 404, 403, 403, 403, 403)},
    "patient_itinerary_ics": {"GET": (L, 200, 404, 403, 403, 403, 403)},
    # The coordinator's trip plan: its page, the journey figures (an empty form is a 422), moving
    # a trip, confirming it, ticking its checklist, recording a booking.
    "trips_plan": {"GET": COORDINATOR_ONLY},
    "trips_figures": {"GET": SIGNED_IN_405, "POST": (L, 403, 403, 422, 403, 403, 403)},
    "trip_move": {"GET": SIGNED_IN_405, "POST": COORDINATOR_POST},
    "trip_confirm": {"GET": SIGNED_IN_405, "POST": COORDINATOR_POST},
    "trip_checklist_tick": {"GET": SIGNED_IN_405, "POST": COORDINATOR_POST},
    "trip_booking_add": {"GET": SIGNED_IN_405, "POST": COORDINATOR_POST},
    # A trip's documents: the MEDIF draft (with the patient's name and diagnosis) for
    # coordinators only; the printable plan for the patient and coordinators; the treatment card
    # likewise, but only for a trip with a radionuclide session (none in the world: a 404 for
    # those who may see the case; tests/trips/test_documents.py has one). Asking the clinic for
    # the invitation letter: refused in the world (no identity consent), back to the trips page.
    "trip_medif_pdf": {"GET": COORDINATOR_ONLY},
    "trip_plan_pdf": {"GET": CASE_RECORDS},
    "trip_treatment_card_pdf": {"GET": (L, 404, 404, 404, 403, 403, 403)},
    "trip_invitation_request": {"GET": SIGNED_IN_405, "POST": COORDINATOR_POST},
    # The way home: the handover page (an empty form lacks its rows of procedures, medicines…:
    # 422), sending it (nothing saved in the world: refused, back to the page), and a trip's
    # return (an empty form changes nothing and goes back to the page).
    "trip_handover": {"GET": COORDINATOR_ONLY, "POST": (L, 403, 403, 422, 403, 403, 403)},
    "trip_handover_send": {"GET": SIGNED_IN_405, "POST": COORDINATOR_POST},
    "trip_returned": {"GET": SIGNED_IN_405, "POST": COORDINATOR_POST},
    # A consultation of the patient's case as an `.ics` file for their calendar.
    "patient_consultation_ics": {"GET": (L, 200, 404, 403, 403, 403, 403)},
    # Accepting a plan: an empty POST names no quote and ticks nothing, so nothing changes.
    "plan_accept": {"GET": SIGNED_IN_405, "POST": (L, 422, 404, 403, 403, 403, 403)},
    # Clinic portal: the patient's case is referred to clinic X (DOCTOR), not to clinic Y.
    "clinic_home": {"GET": (L, 403, 403, 403, 200, 200, 403)},
    "referral_detail": {"GET": CLINIC_X_ONLY},
    "referral_move_by_clinic": {"GET": SIGNED_IN_405, "POST": (L, 403, 403, 403, 302, 404, 403)},
    "referral_answer": {"GET": CLINIC_X_ONLY, "POST": (L, 403, 403, 403, 422, 404, 403)},
    "referral_study_archive": {"GET": CLINIC_X_ONLY},
    "referral_series_preview": {"GET": CLINIC_X_ONLY},
    # The consultation of clinic X's referral: its doctor confirms it; clinic Y's gets a 404.
    "consultation_move_by_clinic": {
        "GET": SIGNED_IN_405,
        "POST": (L, 403, 403, 403, 302, 404, 403),
    },
    # Coordinator workspace
    "coordinator_queue": {"GET": COORDINATOR_ONLY},
    # A name searched for goes by POST into the session, never into a URL.
    "coordinator_queue_search": {"GET": SIGNED_IN_405, "POST": COORDINATOR_POST},
    "coordinator_case": {"GET": COORDINATOR_ONLY},
    "coordinator_case_assign": {"GET": SIGNED_IN_405, "POST": COORDINATOR_POST},
    "coordinator_case_note": {"GET": SIGNED_IN_405, "POST": COORDINATOR_POST},
    # A coordinator's message to the family; an empty one goes back to the case page (302).
    "coordinator_case_message": {"GET": SIGNED_IN_405, "POST": COORDINATOR_POST},
    # A coordinator flags the family's message for cord-compression warning signs.
    "coordinator_message_flag": {"GET": SIGNED_IN_405, "POST": COORDINATOR_POST},
    "coordinator_case_transition": {"GET": SIGNED_IN_405, "POST": COORDINATOR_POST},
    "case_travel_clearance": {"GET": SIGNED_IN_405, "POST": COORDINATOR_POST},
    "case_findings": {"GET": COORDINATOR_ONLY, "POST": (L, 403, 403, 422, 403, 403, 403)},
    "case_triage_print": {"GET": COORDINATOR_ONLY},
    "case_triage_history": {"GET": COORDINATOR_ONLY},
    "case_clinics": {"GET": COORDINATOR_ONLY},
    "case_clinics_compare": {"GET": COORDINATOR_POST},
    "case_shortlist_save": {"GET": SIGNED_IN_405, "POST": COORDINATOR_POST},
    "case_referral_send": {"GET": SIGNED_IN_405, "POST": COORDINATOR_POST},
    "referral_move_by_coordinator": {"GET": SIGNED_IN_405, "POST": COORDINATOR_POST},
    "opinion_release": {"GET": SIGNED_IN_405, "POST": COORDINATOR_POST},
    # The home doctor: the coordinator sends and revokes the read-only link and records the
    # doctor's answer. No link 999999 exists: revoking it is a 404 for a coordinator.
    "coordinator_home_doctor": {"GET": COORDINATOR_ONLY},
    "home_doctor_link_send": {"GET": SIGNED_IN_405, "POST": COORDINATOR_POST},
    "home_doctor_link_revoke": {"GET": SIGNED_IN_405, "POST": (L, 403, 403, 404, 403, 403, 403)},
    "home_doctor_agreement": {"GET": SIGNED_IN_405, "POST": COORDINATOR_POST},
    # The home doctor's link, public: here a token never issued (a page with no case data, 404);
    # valid, expired, revoked and another case's tokens are in HOME_DOCTOR_LINK below.
    "home_doctor_view": {"GET": (404,) * 7, "POST": (405,) * 7},
    # The discharge summary of a sent handover through the same link: here a token never issued
    # (404); tests/trips/test_handover.py downloads it through a valid one, audited.
    "home_doctor_discharge_summary": {"GET": (404,) * 7, "POST": (405,) * 7},
    # Consultations: an empty form changes nothing and goes back to the case page.
    "consultation_schedule": {"GET": SIGNED_IN_405, "POST": COORDINATOR_POST},
    "consultation_move_by_coordinator": {"GET": SIGNED_IN_405, "POST": COORDINATOR_POST},
    "consultation_outcome": {"GET": SIGNED_IN_405, "POST": COORDINATOR_POST},
    # Follow-up: the coordinator records the return home and the schedule, resends a check-in's
    # link (an empty form changes nothing and goes back to the page), and reads the outcomes.
    "followup_case": {"GET": COORDINATOR_ONLY},
    "followup_schedule_set": {"GET": SIGNED_IN_405, "POST": COORDINATOR_POST},
    "followup_link_resend": {"GET": SIGNED_IN_405, "POST": COORDINATOR_POST},
    "followup_outcomes": {"GET": COORDINATOR_ONLY},
    # The check-in's emailed link, public: here a token never issued (a page with no case data,
    # 404, whether read or sent); the other kinds of token are in FOLLOWUP_LINK below.
    "followup_check_in": {"GET": (404,) * 7, "POST": (404,) * 7},
    # Records ------------------------------------------  anon  pat  other coord  doc  odoc admin
    "records_upload_start": {"GET": SIGNED_IN_405, "POST": (L, 422, 404, 422, 403, 403, 403)},
    "records_case_panel": {"GET": CASE_RECORDS},
    "records_document": {"GET": CASE_RECORDS},
    "records_series_preview": {"GET": CASE_RECORDS},
    "records_study_archive": {"GET": CASE_RECORDS},
    "records_study_deid_retry": {"GET": SIGNED_IN_405, "POST": COORDINATOR_POST},
    # Documents shared with clinics: only a coordinator redacts and releases a copy. The world's
    # document is a PDF with no page (422 to share, no page to draw: 404) and is not shared, so
    # its released copy is a 404 for a coordinator and the referred clinic's doctor alike;
    # tests/records/test_document_sharing.py releases one and downloads it.
    "records_document_share": {
        "GET": (L, 403, 403, 422, 403, 403, 403),
        "POST": (L, 403, 403, 422, 403, 403, 403),
    },
    "records_document_page": {"GET": (L, 403, 403, 404, 403, 403, 403)},
    "records_document_shared_copy": {"GET": (L, 403, 403, 404, 403, 403, 403)},
    "referral_document": {"GET": (L, 403, 403, 403, 404, 404, 403)},
    # Held-back images: only a coordinator reviews them (the world's study has none held back:
    # its review page is empty, and an image that does not exist is a 404);
    # tests/records/test_held_review.py masks and releases one.
    "records_study_review": {"GET": COORDINATOR_ONLY},
    "records_held_image_preview": {"GET": (L, 403, 403, 404, 403, 403, 403)},
    "records_held_image_decide": {"GET": SIGNED_IN_405, "POST": (L, 403, 403, 404, 403, 403, 403)},
    # The image viewer: a coordinator opens any study; the referred clinic's doctors open the
    # de-identified study through their referral (another clinic's doctor: a 404). The world's
    # series has no decoded frame (a 404 for those allowed); tests/browser/test_viewer.py
    # scrolls a real one.
    "records_study_viewer": {"GET": COORDINATOR_ONLY},
    "records_series_frame": {"GET": (L, 403, 403, 404, 403, 403, 403)},
    "referral_study_viewer": {"GET": CLINIC_X_ONLY},
    "referral_series_frame": {"GET": (L, 403, 403, 403, 404, 404, 403)},
    # An upload belongs to the person who started it, not to the case.
    "records_upload": {
        "GET": (L, 200, 404, 404, 403, 403, 403),
        "DELETE": (L, 200, 404, 404, 403, 403, 403),
    },
    "records_upload_chunk": {"GET": SIGNED_IN_405, "POST": (L, 400, 404, 404, 403, 403, 403)},
    "records_upload_complete": {"GET": SIGNED_IN_405, "POST": (L, 409, 404, 404, 403, 403, 403)},
    # API: endpoints answer 401 themselves; the schema and docs are for coordinators and admins.
    "api:openapi-json": {"GET": (L, 403, 403, 200, 403, 403, 200)},
    "api:openapi-view": {"GET": (L, 403, 403, 200, 403, 403, 200)},
    "api:api-root": {"GET": (L, 404, 404, 404, 404, 404, 404)},
    "api:triage_findings": {"POST": (401, 401, 401, 200, 200, 200, 401)},
    "api:clinic_directory": {"GET": EVERYONE_200},
    "api:case_clinic_matches": {"GET": (401, 401, 401, 200, 401, 401, 401)},
    # The trip planner: coordinators only; the matrix's empty plan `{}` is refused field by field.
    "api:itinerary_plan": {"POST": (401, 401, 401, 422, 401, 401, 401)},
    # The clinics' API takes a clinic's bearer token, never a session (whoever's): tokens, their
    # clinic's 404s, revocation, expiry and rate limits are tested in tests/referrals/test_api.py.
    "api:clinic_referral_list": {"GET": TOKEN_ONLY},
    "api:clinic_referral_read": {"GET": TOKEN_ONLY},
    "api:clinic_referral_move": {"POST": TOKEN_ONLY},
    "api:clinic_referral_answer": {"POST": TOKEN_ONLY},
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
    # Django admin's sign-in sends strangers to the site's sign-in (second factor included) and
    # refuses the signed-in who are not staff (the rest follows ADMIN_RULE below).
    "admin:login": {"GET": (L, 403, 403, 403, 403, 403, 302)},
    "admin:logout": {"GET": (L, 302, 302, 302, 302, 302, 405)},
}

# The home doctor's link (`/h/<token>/`) for each kind of token of tests/security/conftest.py's
# `home_doctor_tokens`: the same for every persona, signed in or not, since the token is the
# only key. The valid link shows the patient's name to the doctor they named (and no contact);
# the others show no case data at all. Another case's valid token opens that other case only.
HOME_DOCTOR_LINK: dict[str, Row] = {
    "valid": (200,) * 7,
    "expired": (404,) * 7,
    "revoked": (404,) * 7,
    "consent_withdrawn": (404,) * 7,
    "other_case": (200,) * 7,
}

# A check-in's link (`/f/<token>/`) for each kind of token of tests/security/test_followup_link.py:
# the same for every persona, since the token is the only key. A valid link shows the form, an
# answered one its thank-you page; neither names the patient. Another case's valid token opens
# that other case's check-in only.
FOLLOWUP_LINK: dict[str, Row] = {
    "valid": (200,) * 7,
    "answered": (200,) * 7,
    "expired": (404,) * 7,
    "replaced": (404,) * 7,
    "cancelled": (404,) * 7,
    "case_closed": (404,) * 7,
    "consent_withdrawn": (404,) * 7,
    "other_case": (200,) * 7,
}

# Django admin, by rule: everyone but the operator is sent to a sign-in page. The operator gets
# in: 200, a redirect inside the admin (a missing object), 403 where the admin itself refuses
# (adding task results, autocomplete without its parameters), 404 for an unknown admin path,
# 405 for a POST-only view.
ADMIN_NAMESPACE: Final = "admin"
ADMIN_ALLOWED_FOR_ADMIN: Final = frozenset({200, 302, 403, 404, 405})
