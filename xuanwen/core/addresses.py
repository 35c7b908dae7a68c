"""The source address of a request, for the sign-in lockout and its audit entries."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(text: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address((text or "").strip())
    except ValueError:
        return None


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return any(
        address in ipaddress.ip_network(proxy, strict=False) for proxy in settings.TRUSTED_PROXIES
    )


def client_address(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, unless that peer is one of settings.TRUSTED_PROXIES: then the nearest
    address in X-Forwarded-For that is not a trusted proxy.

    Each proxy appends the address it was reached from, so the list is read from the right and
    only as far as trusted proxies wrote it; whatever a client put in the header itself lies
    further left and is never reached. A client talking to us directly cannot choose its
    address at all, so a forged header neither evades a throttle nor locks someone else out.
    """
    source = _address(request.META.get("REMOTE_ADDR"))
    if source is None:
        return None
    if _trusted(source):
        for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
            address = _address(hop)
            if address is None:
                break  # a trusted proxy writes none: keep the last hop that is certain
            source = address
            if not _trusted(address):
                break
    return str(source)
