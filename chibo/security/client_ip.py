"""The client's address: the socket's peer, or what a trusted reverse proxy says it saw.

Behind nginx every request comes from 127.0.0.1, so login lockouts (django-axes, through
AXES_CLIENT_IP_CALLABLE) and the sessions page need the address nginx forwards. A header is
believed only when CHIBO_PROXY_COUNT says there is a proxy and the connection comes from one
of CHIBO_TRUSTED_PROXIES; anyone else can write any X-Forwarded-For they like.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings
from ipware import get_client_ip

# deploy/nginx/chibo.conf overwrites this header with the address nginx saw.
FORWARDED_HEADER = "HTTP_X_FORWARDED_FOR"


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries)


def _from_trusted_proxy(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return any(ip in network for network in _networks(tuple(settings.CHIBO_TRUSTED_PROXIES)))


def client_ip(request) -> str | None:
    """The address to lock out, log and show for this request (None when there is none)."""
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.CHIBO_PROXY_COUNT
    if proxies < 1 or remote is None or not _from_trusted_proxy(remote):
        return remote
    # The header lists the client and then every proxy but the last (whose address is
    # REMOTE_ADDR): counted from the right, so addresses a client prepends are skipped.
    forwarded, _routable = get_client_ip(
        request,
        proxy_count=proxies - 1,
        request_header_order=(FORWARDED_HEADER,),
        strict=False,
    )
    # A local probe straight to gunicorn sends no header: its own address is the client.
    return forwarded or remote
