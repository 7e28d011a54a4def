"""Faults against the production shape, each with its own throwaway services on loopback ports:
a PostgreSQL cluster (initdb), a Redis server, moto's S3 server and a small tmpfs for the disk.

    .venv/bin/python bench/fault_test.py [--only worker,postgres,redis,disk,s3]

- worker: `oncoroute worker` killed (SIGKILL, whole process group) while it indexes a
  400-file disc; started again, the disc is indexed and de-identified once.
- postgres: PostgreSQL restarted while 8 families send the request form: every answer is the
  confirmation or the clean 503 page, the app recovers without a restart, no case is lost,
  doubled or half-written.
- redis: Redis stopped for 15 s under the same load: requests keep being accepted, and the
  emails of the requests queued meanwhile go out (database queue) once each.
- disk: the disk fills while a document is uploaded: a clear 503 answer, whole blocks kept;
  with space again the same upload resumes and the document is stored once.
- s3: the bucket is unreachable when an upload completes: a clear 503 answer, nothing
  stored; with the bucket back, the same upload completes.

Needs root (tmpfs, and PostgreSQL run as the postgres user); stops by itself.
"""

# Every process started here is our own interpreter or a service binary with fixed arguments.
# ruff: noqa: S603, S607

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
ONCOROUTE = [PYTHON, "-m", "oncoroute.cli"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
BUCKET = "oncoroute-faults"
CHUNK = 1024 * 1024


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(check: Callable[[], bool], seconds: float, what: str, every: float = 0.3) -> float:
    """Poll ``check`` until true; the seconds it took. Fails after ``seconds``."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        with contextlib.suppress(requests.RequestException):
            if check():
                return time.monotonic() - started
        time.sleep(every)
    raise SystemExit(f"timed out waiting for {what}")


# -- throwaway services -------------------------------------------------------------------


class Postgres:
    """A PostgreSQL cluster of our own, run as the postgres user, for restarting."""

    def __init__(self, base: Path) -> None:
        self.data = base / "pg"
        self.port = _free_port()
        self.data.mkdir()
        shutil.chown(base, "postgres")
        shutil.chown(self.data, "postgres")
        self._as_postgres("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-N")
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _as_postgres(self, *command: str) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *command], check=True, capture_output=True
        )

    def _ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._as_postgres(
            "pg_ctl", action, "-D", str(self.data), "-w", "-o", options,
            "-l", str(self.data / "log"), *extra,
        )  # fmt: skip

    def start(self) -> None:
        self._ctl("start")

    def database(self, name: str) -> str:
        """A new, empty database; its URL."""
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as connection:
            connection.execute(f"CREATE DATABASE fault_{name}")
        return self.url.rsplit("/", 1)[0] + f"/fault_{name}"

    def restart(self) -> None:
        self._ctl("restart", "-m", "fast")

    def stop(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self._ctl("stop", "-m", "immediate")


class Redis:
    """A Redis server of our own, with the append-only file on as in production (docs/deploy.md),
    so that queued tasks outlive a restart."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "yes", "--appendfsync", "always", "--dir", str(self.folder)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        import redis

        _wait(lambda: bool(redis.Redis(port=self.port).ping()), 10, "redis")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)

    def flush(self) -> None:
        import redis

        redis.Redis(port=self.port).flushall()


class S3:
    """moto's server in this process; its buckets live on across a stop and a start."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server: Any = None

    def start(self) -> None:
        from moto.server import ThreadedMotoServer

        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self.server.start()

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None


@contextlib.contextmanager
def tmpfs(path: Path, megabytes: int) -> Iterator[Path]:
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(path)],
                   check=True)  # fmt: skip
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)


# -- the app --------------------------------------------------------------------------------


@dataclass
class App:
    env: dict[str, str]
    base: str
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def run(self, *args: str) -> str:
        done = subprocess.run(
            [*ONCOROUTE, *args], env=self.env, check=True, capture_output=True, text=True
        )
        return done.stdout

    def python(self, code: str, *args: str) -> Any:
        out = subprocess.run(
            [PYTHON, "-c", "import django; django.setup()\n" + code, *args],
            env=self.env, check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        return json.loads(out.strip().splitlines()[-1])

    def start(self, name: str) -> None:
        self.processes[name] = subprocess.Popen(
            [*ONCOROUTE, name], env=self.env, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip

    def kill(self, name: str) -> None:
        """SIGKILL to the command and every process it started (its own session)."""
        os.killpg(self.processes[name].pid, signal.SIGKILL)
        self.processes[name].wait()

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


SESSION = """
import json
from django.test import Client
from oncoroute.accounts.models import User
client = Client()
client.force_login(User.objects.get(email="patient@oncoroute.example"))
case = User.objects.get(email="patient@oncoroute.example").cases.first()
print(json.dumps({"session": client.cookies["sessionid"].value, "case": case.reference}))
"""


@contextlib.contextmanager
def app(var: Path, database_url: str, redis_url: str, **extra: str) -> Iterator[App]:
    port = _free_port()
    env = {
        **os.environ,
        "ONCOROUTE_VAR_DIR": str(var),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "PORT": str(port),
        "DJANGO_SETTINGS_MODULE": "oncoroute.config.settings",
        "TRUSTED_PROXY_COUNT": "1",
        "REQUEST_RATE_LIMIT_PER_HOUR": "1000000",
        "WEB_CONCURRENCY": "2",
        "LOG_LEVEL": "WARNING",
        "RECORDS_CHUNK_BYTES": str(CHUNK),
        "TASKS_ABANDONED_HOURS": "1",
        **extra,
    }
    the_app = App(env=env, base=f"http://127.0.0.1:{port}")
    the_app.run("migrate", "-v", "0")
    the_app.run("demo_data")
    the_app.start("serve")
    the_app.start("worker")
    try:
        _wait(lambda: requests.get(the_app.base + "/healthz", timeout=2).ok, 90, "the server")
        yield the_app
    finally:
        the_app.stop()


def _patient(the_app: App) -> tuple[requests.Session, str]:
    found = the_app.python(SESSION)
    session = requests.Session()
    session.cookies.set("sessionid", found["session"])
    page = session.get(f"{the_app.base}/", timeout=10)
    session.headers["X-CSRFToken"] = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
    session.headers["Referer"] = the_app.base + "/"
    return session, found["case"]


def _upload(
    session: requests.Session, base: str, case: str, name: str, data: bytes, chunks: int = 0
) -> dict[str, Any]:
    """Start an upload and send its first ``chunks`` chunks (all when 0)."""
    started = session.post(
        f"{base}/records/cases/{case}/uploads/", data={"filename": name, "size": len(data)},
        timeout=30,
    )  # fmt: skip
    upload: dict[str, Any] = {**started.json(), "http": started.status_code}
    if started.status_code != 201:
        return upload
    return _send(session, base, upload, data, limit=chunks)


def _send(
    session: requests.Session, base: str, upload: dict[str, Any], data: bytes, limit: int = 0
) -> dict[str, Any]:
    received, sent = upload.get("received", 0), 0
    while received < len(data) and (not limit or sent < limit):
        end = min(received + CHUNK, len(data))
        answer = session.post(
            base + upload["urls"]["chunk"], data=data[received:end], timeout=60,
            headers={"Content-Range": f"bytes {received}-{end - 1}/{len(data)}",
                     "Content-Type": "application/octet-stream"},
        )  # fmt: skip
        body = answer.json()
        upload = upload | body | {"http": answer.status_code}
        if answer.status_code != 200:
            return upload
        received, sent = body["received"], sent + 1
    return upload


def _complete(session: requests.Session, base: str, upload: dict[str, Any]) -> dict[str, Any]:
    answer = session.post(base + upload["urls"]["complete"], timeout=120)
    return {**upload, **answer.json(), "http": answer.status_code}


def _document(size: int) -> bytes:
    line = b"%PDF-1.4\n% a report of the lumbar spine, with numbers\n"
    return (line * (size // len(line) + 1))[:size]


# -- load: families sending the request form ------------------------------------------------


@dataclass
class Load:
    base: str
    families: int = 8
    answers: Counter[str] = field(default_factory=Counter)
    accepted: list[str] = field(default_factory=list)
    # Given up on: answered with an error other than "try again", or never accepted.
    refused: list[str] = field(default_factory=list)
    resent: int = 0  # accepted after the family sent the same form again
    timeline: list[tuple[float, str]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _family(self, n: int) -> None:
        session = requests.Session()
        headers = {"X-Forwarded-For": f"10.9.{n}.1"}
        while not self._stop.is_set():
            try:
                self._send_request(session, headers)
            except requests.RequestException as error:
                self._note(f"connection error {type(error).__name__}")
                time.sleep(0.2)

    def _note(self, outcome: str) -> None:
        with self._lock:
            self.answers[outcome] += 1
            self.timeline.append((time.monotonic(), outcome))

    def _send_request(self, session: requests.Session, headers: dict[str, str]) -> None:
        """The page, then the form sent; told to try again (503), the family sends the same
        form again, as the page's submission token allows, until it is answered."""
        page = session.get(self.base + "/", headers=headers, timeout=30)
        if page.status_code != 200:
            self._note(_answer_kind(page))
            time.sleep(0.5)
            return
        token = str(uuid.uuid4())
        form = {
            "csrfmiddlewaretoken": CSRF.search(page.text).group(1),  # type: ignore[union-attr]
            "submission_token": token, "full_name": f"Fault {token[:8]}",
            "email": f"{token}@fault.test", "country": "DE", "language": "en",
            "writer_role": "patient", "primary_cancer": "breast", "spine_regions": "lumbar",
            "other_symptoms": "fatigue", "wants": "second_opinion", "consent": "on",
        }  # fmt: skip
        for attempt in range(30):
            sent = session.post(
                self.base + "/", data=form, headers=headers, allow_redirects=False, timeout=30
            )
            self._note("accepted" if sent.status_code == 302 else _answer_kind(sent))
            if sent.status_code == 302:
                with self._lock:
                    self.accepted.append(token)
                    self.resent += attempt > 0
                return
            if sent.status_code != 503:
                break
            time.sleep(0.5)
        with self._lock:
            self.refused.append(token)

    @contextlib.contextmanager
    def running(self) -> Iterator[Load]:
        threads = [threading.Thread(target=self._family, args=(n,)) for n in range(self.families)]
        for thread in threads:
            thread.start()
        try:
            yield self
        finally:
            self._stop.set()
            for thread in threads:
                thread.join(60)

    def accepted_after(self, moment: float) -> int:
        return sum(1 for at, outcome in self.timeline if at > moment and outcome == "accepted")


def _answer_kind(response: requests.Response) -> str:
    if response.status_code == 503:
        clean = "Retry-After" in response.headers and "<html" in response.text.lower()
        return "503 page" if clean else "503 without the page"
    return f"status {response.status_code}"


COUNT_CASES = """
import json, sys
from django.db.models import Count
from oncoroute.cases.models import Case, Consent
sent = json.load(open(sys.argv[1]))
accepted, refused = set(sent["accepted"]), set(sent["refused"])
cases = Case.objects.filter(email__endswith="@fault.test")
stored = [str(t) for t in cases.values_list("submission_token", flat=True)]
print(json.dumps({
    "accepted": len(accepted), "refused": len(refused), "stored": len(stored),
    "lost": len(accepted - set(stored)),
    "stored though refused": len(refused & set(stored)),
    "stored unknown": len(set(stored) - accepted - refused),
    "duplicated": cases.values("submission_token").annotate(n=Count("id")).filter(n__gt=1).count(),
    "half_written": cases.filter(reference="").count()
        + cases.exclude(pk__in=Consent.objects.values("case_id")).count(),
}))
"""


def _count_cases(the_app: App, load: Load, var: Path) -> dict[str, int]:
    accepted = var / "accepted.json"
    accepted.write_text(json.dumps({"accepted": load.accepted, "refused": load.refused}))
    counts: dict[str, int] = the_app.python(COUNT_CASES, str(accepted))
    return counts


def _emails_to(mail_dir: Path, domain: str) -> Counter[str]:
    """How many emails went to each address of ``domain`` (file-based email backend)."""
    found: Counter[str] = Counter()
    pattern = re.compile(rf"^To: (\S+@{re.escape(domain)})$", re.MULTILINE)
    for path in mail_dir.glob("*.log") if mail_dir.exists() else []:
        found.update(pattern.findall(path.read_text(errors="replace")))
    return found


# -- the faults -----------------------------------------------------------------------------


def fault_postgres(work: Path, redis_url: str) -> dict[str, Any]:
    postgres = Postgres(_fresh(work, "cluster"))
    postgres.start()
    try:
        with app(work / "var", postgres.database("restarted"), redis_url) as the_app:
            load = Load(the_app.base)
            with load.running():
                time.sleep(10)
                restarted_at = time.monotonic()
                postgres.restart()
                back = time.monotonic()
                time.sleep(15)
            counts = _count_cases(the_app, load, work)
        return {
            "answers": dict(load.answers),
            "restart took s": round(back - restarted_at, 1),
            "accepted after the restart": load.accepted_after(back),
            "accepted when sent again after a 503": load.resent,
            **counts,
            "ok": set(load.answers) <= {"accepted", "503 page"}
            and load.accepted_after(back) > 0
            and not load.refused
            and counts["lost"] == counts["duplicated"] == counts["half_written"] == 0
            and counts["stored unknown"] == 0,
        }
    finally:
        postgres.stop()


def fault_redis(work: Path, postgres_url: str) -> dict[str, Any]:
    redis_server = Redis(_fresh(work, "redis"))
    redis_server.start()
    var = work / "var"
    try:
        with app(var, postgres_url, redis_server.url) as the_app:
            load = Load(the_app.base)
            with load.running():
                time.sleep(8)
                stopped_at = time.monotonic()
                redis_server.stop()
                time.sleep(15)
                redis_server.start()
                restarted_at = time.monotonic()
                time.sleep(8)
            during = sum(
                1 for at, outcome in load.timeline
                if stopped_at < at < restarted_at and outcome == "accepted"
            )  # fmt: skip
            counts = _count_cases(the_app, load, work)
            mail = var / "mail"
            # The confirmation email of every accepted request, once, whichever queue ran it.
            _wait(lambda: len(_emails_to(mail, "fault.test")) >= counts["accepted"], 120,
                  "the emails")  # fmt: skip
            sent = _emails_to(mail, "fault.test")
        return {
            "answers": dict(load.answers),
            "accepted while Redis was stopped": during,
            **counts,
            "emails": sum(sent.values()),
            "addresses emailed twice": sum(1 for n in sent.values() if n > 1),
            "ok": set(load.answers) <= {"accepted"} and during > 0
            and counts["lost"] == counts["duplicated"] == counts["half_written"] == 0
            and len(sent) == counts["accepted"] and max(sent.values(), default=1) == 1,
        }  # fmt: skip
    finally:
        redis_server.stop()


STUDY_STATE = """
import json
from oncoroute.cases.models import CaseEvent
from oncoroute.records.models import Instance, Study, Upload
upload = Upload.objects.order_by("-created_at").first()
studies = Study.objects.filter(case=upload.case)
instances = Instance.objects.filter(series__study__in=studies)
events = CaseEvent.objects.filter(case=upload.case)
print(json.dumps({
    "upload": upload.state, "index_done": upload.index_done, "index_total": upload.index_total,
    "studies": studies.count(), "instances": instances.count(),
    "distinct_sop": instances.values("sop_uid").distinct().count(),
    "deid": [[s.deid_state, s.deid_done, s.deid_total] for s in studies],
    "uploaded_events": events.filter(kind=CaseEvent.Kind.RECORD_UPLOADED).count(),
    "deidentified_events": events.filter(kind=CaseEvent.Kind.STUDY_DEIDENTIFIED).count(),
}))
"""


def _progress(database_url: str) -> dict[str, Any]:
    """The disc's indexing and de-identification, read straight from the database (fast)."""
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as connection:
        upload = connection.execute(
            "SELECT state, index_done, index_total FROM records_upload "
            "ORDER BY created_at DESC LIMIT 1"
        ).fetchone()
        studies = connection.execute(
            "SELECT deid_state, deid_done, deid_total FROM records_study"
        ).fetchall()
    assert upload is not None
    return {"index_done": upload[1], "index_total": upload[2], "deid": [list(s) for s in studies]}


def _disc(work: Path, files: int) -> bytes:
    from oncoroute.deid.synthetic import write_ct_study

    folder = work / "disc"
    write_ct_study(folder, files, 128, 128, seed=7)
    archive = work / "disc.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as out:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                out.write(path, path.relative_to(folder).as_posix())
    return archive.read_bytes()


def fault_worker(work: Path, postgres_url: str, redis_url: str) -> dict[str, Any]:
    files = 2000
    data = _disc(work, files)
    with app(work / "var", postgres_url, redis_url) as the_app:
        session, case = _patient(the_app)
        upload = _upload(session, the_app.base, case, "disc.zip", data)
        upload = _complete(session, the_app.base, upload)
        assert upload["http"] == 200, upload

        def state() -> dict[str, Any]:
            found: dict[str, Any] = the_app.python(STUDY_STATE)
            return found

        def kill_when(ready: Callable[[dict[str, Any]], bool], what: str) -> dict[str, Any]:
            """Kill the worker once ``ready`` holds, start it again; the state it was killed in."""
            _wait(lambda: ready(_progress(postgres_url)), 300, what, every=0.02)
            the_app.kill("worker")
            killed = _progress(postgres_url)
            the_app.start("worker")
            return killed

        indexing = kill_when(lambda s: 0 < s["index_done"] < s["index_total"], "indexing")
        deidentifying = kill_when(
            lambda s: any(d[0] == "running" and 0 < d[1] < d[2] for d in s["deid"]),
            "de-identification",
        )
        started = time.monotonic()
        _wait(lambda: state()["deid"] and all(d[0] == "done" for d in state()["deid"]), 900,
              "the disc to be indexed and de-identified")  # fmt: skip
        final = state()
    return {
        "killed while indexing at": f"{indexing['index_done']} of {indexing['index_total']}",
        "killed while de-identifying at": str([d[1:] for d in deidentifying["deid"]]),
        "done after the second restart in s": round(time.monotonic() - started),
        **final,
        "ok": final["instances"] == final["distinct_sop"] == files
        and final["upload"] == "done" and final["studies"] == 1
        and final["uploaded_events"] == 1 and final["deidentified_events"] == 1,
    }  # fmt: skip


def fault_disk(work: Path, postgres_url: str, redis_url: str) -> dict[str, Any]:
    data = _document(6 * CHUNK)
    with tmpfs(work / "var", 96) as var, app(var, postgres_url, redis_url) as the_app:
        session, case = _patient(the_app)
        upload = _upload(session, the_app.base, case, "report.pdf", data, chunks=2)
        free = shutil.disk_usage(var).free
        filler = var / "filler"
        with filler.open("wb") as out:
            out.write(b"\0" * (free - CHUNK - CHUNK // 2))  # room for one chunk and a half
        full = _send(session, the_app.base, upload, data)
        filler.unlink()
        resumed = _send(session, the_app.base, full, data)
        done = _complete(session, the_app.base, resumed)
        stored = the_app.python(DOCUMENTS)
    return {
        "answer when full": full["http"],
        "message": full.get("error", ""),
        "kept when full (chunks)": full.get("received", 0) / CHUNK,
        "completed after": done["http"],
        **stored,
        "ok": full["http"] == 503 and full.get("received", 0) >= 3 * CHUNK
        and done["http"] == 200 and stored["documents"] == 1
        and stored["sha256"] == [hashlib.sha256(data).hexdigest()],
    }  # fmt: skip


DOCUMENTS = """
import json
from oncoroute.records.models import Document
print(json.dumps({
    "documents": Document.objects.count(),
    "sha256": list(Document.objects.values_list("sha256", flat=True)),
}))
"""


def fault_s3(work: Path, postgres_url: str, redis_url: str) -> dict[str, Any]:
    import boto3

    s3 = S3()
    s3.start()
    client = boto3.client(
        "s3", endpoint_url=s3.url, region_name="us-east-1",
        aws_access_key_id="testing", aws_secret_access_key="testing",  # noqa: S106
    )  # fmt: skip
    client.create_bucket(Bucket=BUCKET)
    bucket = {
        "STORAGE_BUCKET": BUCKET, "STORAGE_ENDPOINT_URL": s3.url, "STORAGE_REGION": "us-east-1",
        "STORAGE_ACCESS_KEY_ID": "testing", "STORAGE_SECRET_ACCESS_KEY": "testing",
        "AWS_MAX_ATTEMPTS": "2",
    }  # fmt: skip
    data = _document(3 * CHUNK)
    try:
        with app(work / "var", postgres_url, redis_url, **bucket) as the_app:
            session, case = _patient(the_app)
            upload = _upload(session, the_app.base, case, "report.pdf", data)
            s3.stop()
            away = _complete(session, the_app.base, upload)
            objects_while_away = the_app.python(DOCUMENTS)
            s3.start()
            done = _complete(session, the_app.base, away)
            stored = the_app.python(DOCUMENTS)
            objects = client.list_objects_v2(Bucket=BUCKET).get("KeyCount", 0)
    finally:
        s3.stop()
    return {
        "answer while away": away["http"],
        "message": away.get("error", ""),
        "documents while away": objects_while_away["documents"],
        "completed after": done["http"],
        "objects in the bucket": objects,
        **stored,
        "ok": away["http"] == 503 and objects_while_away["documents"] == 0
        and done["http"] == 200 and stored["documents"] == 1
        and stored["sha256"] == [hashlib.sha256(data).hexdigest()],
    }  # fmt: skip


def _fresh(work: Path, name: str) -> Path:
    folder = work / name
    folder.mkdir()
    return folder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="worker,postgres,redis,disk,s3")
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("run as root: the disk fault mounts a tmpfs, PostgreSQL runs as postgres")
    # Stopped from outside, it still stops what it started (the app runs in its own sessions).
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(143))
    results: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="oncoroute-faults-") as temporary:
        work = Path(temporary)
        work.chmod(0o755)  # the postgres user walks into its cluster's folder
        postgres = Postgres(_fresh(work, "postgres-shared"))
        postgres.start()
        redis_server = Redis(_fresh(work, "redis-shared"))
        redis_server.start()
        faults: dict[str, Callable[[Path, str], dict[str, Any]]] = {
            "worker": lambda w, db: fault_worker(w, db, redis_server.url),
            "postgres": lambda w, db: fault_postgres(w, redis_server.url),
            "redis": lambda w, db: fault_redis(w, db),
            "disk": lambda w, db: fault_disk(w, db, redis_server.url),
            "s3": lambda w, db: fault_s3(w, db, redis_server.url),
        }
        try:
            for name in args.only.split(","):
                started = time.monotonic()
                redis_server.flush()
                results[name] = faults[name](_fresh(work, name), postgres.database(name))
                results[name]["seconds"] = round(time.monotonic() - started)
                print(f"== {name}: {json.dumps(results[name], ensure_ascii=False)}", flush=True)
        finally:
            redis_server.stop()
            postgres.stop()
    failed = [name for name, result in results.items() if not result["ok"]]
    print("RESULT:", "every fault handled" if not failed else f"PROBLEMS in {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
