"""Who sent a request: the client's address, told apart from the reverse proxies in front.

One setting, TRUSTED_PROXIES (addresses and networks), names the proxies. gunicorn reads the same
value as `forwarded_allow_ips` (gunicorn.conf.py). Only a connection from one of them may speak
for a client in `X-Forwarded-*` headers; from anyone else those headers are the client's own
claims and count for nothing. Sign-in throttling (django-axes, AXES_CLIENT_IP_CALLABLE) and
anything else that tells visitors apart by address use `client_ip`.
"""

import functools
import ipaddress

from django.conf import settings

# Request headers that only a proxy may set (as request.META keys): X-Forwarded-For, -Proto,
# -Host, -Port, -Ssl ..., and the standard Forwarded (RFC 7239).
FORWARDED_HEADER_PREFIXES = ("HTTP_X_FORWARDED_", "HTTP_FORWARDED")


def parse_networks(entries):
    """The networks that a list of addresses and networks names.

    Args:
        entries: strings such as "10.0.0.5", "192.168.0.0/16" or "2001:db8::/32".

    Returns:
        A tuple of `ipaddress.IPv4Network` / `IPv6Network`, a single address as a /32 or /128.

    Raises:
        ValueError: an entry is not an address or a network, or names a network with host bits
            set ("10.0.0.5/8"); gunicorn refuses the same entries.
    """
    return tuple(ipaddress.ip_network(entry.strip()) for entry in entries)


@functools.lru_cache(maxsize=8)
def _trusted_networks(entries):
    return parse_networks(entries)


def _address(text):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def is_trusted_proxy(address):
    """Whether `address` (an `ipaddress` address, or None) is one of the TRUSTED_PROXIES."""
    networks = _trusted_networks(tuple(settings.TRUSTED_PROXIES))
    return address is not None and any(address in network for network in networks)


def from_trusted_proxy(request):
    """Whether the connection that carried `request` came from one of the TRUSTED_PROXIES."""
    return is_trusted_proxy(_address(request.META.get("REMOTE_ADDR", "")))


def client_ip(request):
    """The address of the client that sent `request`, as a string ("203.0.113.7", "2001:db8::1").

    The address of the connection, unless that is a trusted proxy: then X-Forwarded-For is read
    from the right, where each proxy appends the address it was connected from, and the first
    address that is not a trusted proxy is the client. Entries further left were written by the
    client and are ignored, so no one can choose the address they are counted under. An entry
    that is not an address ends the walk at the proxy that passed it on.

    Args:
        request: a Django `HttpRequest`.

    Returns:
        The address in its canonical text form, or None when the connection has no IP address
        (a UNIX socket).
    """
    client = _address(request.META.get("REMOTE_ADDR", ""))
    if not is_trusted_proxy(client):
        return str(client) if client else None
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _address(hop)
        if address is None:
            break
        client = address
        if not is_trusted_proxy(address):
            break
    return str(client)
