"""The JSON API: one router per domain, documented at /api/docs (OpenAPI)."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(
    title="oncoroute API",
    version="1",
    description="Triage, clinic directory and case endpoints. Session authentication.",
    urls_namespace="api",
)
