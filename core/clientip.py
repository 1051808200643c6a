"""The address of the computer a request comes from: one function for lockouts, rate limits and the audit log.

Without a proxy (`TRUSTED_PROXY_HOPS` = 0) it is the socket's peer, `REMOTE_ADDR`; `X-Forwarded-For` is
ignored, because any client can send that header. Behind trusted proxies, each proxy appends the address it
received the request from to `X-Forwarded-For`, so the client is the entry `TRUSTED_PROXY_HOPS` places from
the right: behind one nginx, the right-most entry. Whatever a client writes into the header itself stays to
the left of that entry and is never chosen.
"""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, normalised (IPv4-mapped IPv6 as IPv4), or None when it is not a valid address."""
    hops = settings.TRUSTED_PROXY_HOPS
    address = request.META.get("REMOTE_ADDR", "")
    if hops > 0:
        forwarded = [entry.strip() for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [entry for entry in forwarded if entry]
        if forwarded:
            # Fewer entries than proxies: the request skipped an outer proxy, so every entry was still
            # written by a trusted one, and the left-most is the farthest address known.
            address = forwarded[-hops] if len(forwarded) >= hops else forwarded[0]
    return _normalised(address)


def _normalised(text: str) -> str | None:
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return str(address.ipv4_mapped)
    return str(address)
