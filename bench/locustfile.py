"""Load on `oncoroute serve` (run by bench/load_test.py, which prepares the sessions and reads the
counts): patients send the request form, each from its own address; coordinators page the queue
and open cases; every page loads the site's stylesheet, the static baseline."""

from __future__ import annotations

import json
import os
import random
import re
import threading
import uuid
from typing import Any

from locust import FastHttpUser, constant, events, task

SESSIONS: list[str] = json.loads(os.environ.get("LOAD_SESSIONS", "[]"))
TOKENS_OUT = os.environ.get("LOAD_TOKENS_OUT", "")
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
ERROR = re.compile(rb'class="errorlist[^"]*"[^>]*>\s*<li>([^<]+)')
CASE_LINK = re.compile(rb'href="(/coordinator/cases/OR-[0-9-]+/)"')
_accepted: list[str] = []
_lock = threading.Lock()
_next_address = iter(range(1, 1 << 24))


class Patient(FastHttpUser):
    """One family at a time: the landing page, its stylesheet, the form sent, the confirmation."""

    fixed_count = int(os.environ.get("LOAD_PATIENTS", "50"))
    wait_time = constant(0)

    def on_start(self) -> None:
        n = next(_next_address)
        # Its own address (the server trusts one proxy hop here), so the rate limit is per family.
        self.address = f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"

    @task
    def send_request(self) -> None:
        headers = {"X-Forwarded-For": self.address}
        page = self.client.get("/", name="landing", headers=headers)
        self.client.get("/static/web/site.css", name="static", headers=headers)
        match = CSRF.search(page.content or b"")
        if match is None:
            return
        token = str(uuid.uuid4())
        form = {
            "csrfmiddlewaretoken": match.group(1).decode(),
            "submission_token": token,
            "full_name": f"Load {token[:8]}",
            "email": f"{token}@load.test",
            "country": "DE",
            "language": "en",
            "writer_role": "patient",
            "primary_cancer": "breast",
            "spine_regions": "lumbar",
            "other_symptoms": "fatigue",
            "wants": "second_opinion",
            "consent": "on",
        }
        with self.client.post(
            "/", data=form, name="request POST", headers=headers,
            allow_redirects=False, catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code != 302:
                reason = ERROR.search(response.content or b"")
                why = reason.group(1).decode(errors="replace").strip() if reason else ""
                response.failure(f"status {response.status_code} {why}"[:200])
                return
            response.success()
        with _lock:
            _accepted.append(token)
        self.client.get("/request/received/", name="request received", headers=headers)


class Coordinator(FastHttpUser):
    """A coordinator paging the queue and opening a case from the page."""

    fixed_count = int(os.environ.get("LOAD_COORDINATORS", "10"))
    wait_time = constant(0)

    def on_start(self) -> None:
        self.session = random.choice(SESSIONS)

    @task
    def page_queue(self) -> None:
        cookies = {"Cookie": f"sessionid={self.session}"}
        page = random.randint(1, 4)
        queue = self.client.get(f"/coordinator/?page={page}", name="queue page", headers=cookies)
        self.client.get("/static/web/site.css", name="static", headers=cookies)
        links = CASE_LINK.findall(queue.content or b"")
        if links:
            self.client.get(random.choice(links).decode(), name="case page", headers=cookies)


@events.test_stop.add_listener
def _write_tokens(**kwargs: Any) -> None:
    if TOKENS_OUT:
        with open(TOKENS_OUT, "w") as out:
            json.dump(_accepted, out)
