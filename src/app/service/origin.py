"""The origin every link, Location and redirect of the service starts with, from a trusted Host.

Links are absolute, because clients follow ``links.next`` as given (a root-relative one sent
kitsu, devour and ``fetch`` to ``/api//api/...``). Their scheme and host come from
``service.public_url`` when set, else from the request, but only for a host the service
trusts: any other Host is answered 400 before routing, so that it never reaches a link, a
Location or a redirect (a cache in front would otherwise hand one client's Host to everyone).
``X-Forwarded-Proto`` and ``X-Forwarded-Host`` count only from ``service.forwarded_allow_ips``,
and then only the value the nearest proxy added (the last), checked like a Host.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

from app.service.limits import send_error
from app.settings import ServiceSection

ORIGIN = "hexstudio.origin"
"""The scope key of the URL the app's root is reached at (no trailing slash): links start so."""

LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})
"""Host names trusted always, besides the address a request arrived at."""

# A Host value: a name or IPv4 address, or a bracketed IPv6 address, and an optional port.
# Nothing else may reach a link: no userinfo, path, space or second colon.
_HOST = re.compile(r"(?:\[(?P<ip6>[0-9A-Fa-f:.]+)\]|(?P<name>[A-Za-z0-9._-]+))(?::\d{1,5})?")

UNTRUSTED = (
    "the {header} header names a host this service does not answer for (service.allowed_hosts)"
)


class HostPolicy:
    """Which hosts and proxies ``service`` trusts, and the origin of a request under that."""

    def __init__(self, service: ServiceSection) -> None:
        self.public_url = service.public_url
        names = {h.lower().strip("[]") for h in service.allowed_hosts}  # "[::1]" is "::1"
        self._any_host = "*" in names
        self._suffixes = tuple(h[1:] for h in names if h.startswith("*."))
        self._names = LOOPBACK | {h for h in names if not h.startswith("*")}
        if service.public_url is not None:
            public = urlsplit(service.public_url).hostname
            if public:
                self._names |= {public.lower()}
        proxies = service.forwarded_allow_ips
        self._any_proxy = "*" in proxies
        self._proxies = tuple(ipaddress.ip_network(p, strict=False) for p in proxies if p != "*")

    def trusts_host(self, name: str, server: tuple[str, int] | None) -> bool:
        """Whether ``name`` (lowercase, no port or brackets) is a host this service serves."""
        if name in self._names or self._any_host:
            return True
        if server is not None and name == server[0].lower():
            return True  # the address the connection arrived at is a fact, not a claim
        return bool(self._suffixes) and name.endswith(self._suffixes)

    def trusts_proxy(self, peer: str) -> bool:
        """Whether the connection's peer is a proxy whose X-Forwarded-* headers count."""
        if self._any_proxy:
            return True
        try:
            address = ipaddress.ip_address(peer)
        except ValueError:
            return False
        return any(address in network for network in self._proxies)

    def origin(self, scope: Scope) -> str | tuple[str, str]:
        """The origin of the request in ``scope``, or (header, reason) when it is untrusted."""
        host = forwarded_host = forwarded_proto = None
        for key, value in scope["headers"]:
            if key == b"host":
                host = value.decode("latin-1").strip()
            elif key == b"x-forwarded-host":
                forwarded_host = _last(value)
            elif key == b"x-forwarded-proto":
                forwarded_proto = _last(value).lower()
        scheme: str = scope.get("scheme", "http")
        header = "Host"
        if forwarded_host is not None or forwarded_proto is not None:
            client = scope.get("client")
            if client is not None and self.trusts_proxy(client[0]):
                if forwarded_proto is not None:
                    if forwarded_proto not in ("http", "https"):
                        return "X-Forwarded-Proto", "X-Forwarded-Proto must be http or https"
                    scheme = forwarded_proto
                if forwarded_host is not None:
                    host, header = forwarded_host, "X-Forwarded-Host"
        server = scope.get("server")
        if host is None:  # HTTP/1.0 may send none: the address it arrived at stands for it
            if server is None:
                return header, "the request names no host"
            name, port = server
            host = f"[{name}]:{port}" if ":" in name else f"{name}:{port}"
        match = _HOST.fullmatch(host)
        if match is None:
            return header, f"the {header} header is not a host name with an optional port"
        if not self.trusts_host((match["ip6"] or match["name"]).lower(), server):
            return header, UNTRUSTED.format(header=header)
        if self.public_url is not None:
            return self.public_url
        return f"{scheme}://{host.lower()}{scope.get('root_path', '')}"


def _last(value: bytes) -> str:
    """The last entry of a comma-separated header: the one the nearest proxy added."""
    return value.decode("latin-1").rsplit(",", 1)[-1].strip()


class TrustedOrigin:
    """ASGI middleware: put the request's origin in the scope, or answer 400 to an untrusted host.

    It runs before routing, so neither an endpoint nor the router's redirects ever see a host
    the service does not serve.
    """

    def __init__(self, app: ASGIApp, *, service: ServiceSection) -> None:
        self.app = app
        self.policy = HostPolicy(service)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on with ``scope[ORIGIN]`` set, or refuse it."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        origin = self.policy.origin(scope)
        if isinstance(origin, tuple):
            header, detail = origin
            await send_error(scope, send, 400, "untrusted_host", detail, header=header)
            return
        scope[ORIGIN] = origin
        await self.app(scope, receive, send)


def below_root(scope: Scope) -> str:
    """The request's path after the app's root path, as a link appends it to the origin."""
    path: str = scope["path"]
    root: str = scope.get("root_path", "")
    if root and path.startswith(root):
        path = path[len(root) :]
    # As Starlette's URL does: these would end the path of a link.
    return path.replace("?", "%3F").replace("#", "%23").replace("\\", "%5C")


def link(scope: Scope, path: str, query: str | bytes = "") -> str:
    """The absolute URL of ``path`` (below the app's root) with ``query``, on the trusted origin."""
    if isinstance(query, bytes):
        query = query.decode(errors="replace")  # ASGI's raw bytes; a client should %-encode
    return f"{scope[ORIGIN]}{path}?{query}" if query else f"{scope[ORIGIN]}{path}"
