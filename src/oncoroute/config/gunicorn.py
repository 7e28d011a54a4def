"""gunicorn's configuration for `oncoroute serve`, from the environment (docs/deploy.md).

Sync workers with threads (gthread): every view is synchronous Django code, so an ASGI worker
would only hop each request onto a thread pool; gthread keeps a slow client from holding a
whole process, and a worker's threads share its connection pool. Measured in docs/deploy.md.
"""

from __future__ import annotations

import multiprocessing
import os

bind = os.environ.get("BIND") or f"127.0.0.1:{os.environ.get('PORT') or '8000'}"
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2)
worker_class = os.environ.get("WEB_WORKER_CLASS", "gthread")
threads = int(os.environ.get("WEB_THREADS") or "4")
# A request longer than this is killed and its worker replaced (uploads stream in chunks).
timeout = int(os.environ.get("WEB_TIMEOUT") or "120")
# On SIGTERM, requests in flight get this long to finish before the workers are stopped.
graceful_timeout = int(os.environ.get("WEB_GRACEFUL_TIMEOUT") or "30")
keepalive = 5
# Workers are replaced now and then, so that a slow leak never grows for long.
max_requests = int(os.environ.get("WEB_MAX_REQUESTS") or "5000")
max_requests_jitter = max_requests // 10
# Behind a reverse proxy on the same host, which sets X-Forwarded-Proto (SECURE_DEPLOYMENT).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Access lines: method, path without the query string, status, time; never bodies or cookies.
accesslog = "-" if os.environ.get("WEB_ACCESS_LOG", "") else None
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# The app loads once in the master: workers fork with Django ready and start at once.
preload_app = True
