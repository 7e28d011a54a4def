"""Who is on the other end of a request: one answer for the limiters and the audit trail."""

from __future__ import annotations

from allauth.core.internal.httpkit import get_client_ip
from allauth.core.internal.ratelimit import truncate_ip
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address as sign-in's limiter sees it: behind `TRUSTED_PROXY_COUNT` proxies,
    taken from `X-Forwarded-For`; IPv6 cut to its /64, which one household or phone holds whole.

    A forwarded header shorter than the proxy chain is a misconfigured or forged hop: then the
    connection's own address is the only one known."""
    try:
        address = get_client_ip(request)
    except ImproperlyConfigured:
        address = None
    address = address or request.META.get("REMOTE_ADDR")
    return truncate_ip(address) if address else ""
