"""The HTTP layer of `claims annotate`: the standard library's threading HTTP server, static files
from the package, and the JSON API (api.py).

Safety: data reaches the page only as JSON and is rendered with textContent (never as HTML); every
response carries a strict Content-Security-Policy; a POST must come from the app's own origin
(Origin, else Referer, checked against Host) and carry the per-session token that only the app's
page holds; the Host header must name the server (no DNS rebinding): a loopback name, or one of the names
given with --allow-host, which (with a password, checked by HTTP basic auth) binding beyond
loopback requires. JSON bodies are refused before parsing when they nest too deep. Every write is committed before the answer goes out.
"""

from __future__ import annotations

import base64
import hmac
import json
import secrets
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from urllib.parse import parse_qsl, urlsplit

from ..errors import ClaimsError
from .api import GET_ROUTES, POST_ROUTES, AppContext
from .errors import AnnotateErrors, AnnotationError
from .store import Store

LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
MAX_BODY = 1 << 20
MAX_DEPTH = 16  # the API's bodies nest 3 deep; deeper is an attack on the parser, not a request
STATIC = {"/": ("index.html", "text/html; charset=utf-8"),
          "/static/app.js": ("app.js", "text/javascript; charset=utf-8"),
          "/static/app.css": ("app.css", "text/css; charset=utf-8")}
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
                               "img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def _static(name: str) -> str:
    return resources.files("nlp.annotate").joinpath("static", name).read_text(encoding="utf-8")


class AnnotateServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, ctx: AppContext, *, host: str, port: int, password: str | None = None,
                 allowed_hosts: tuple[str, ...] = ()) -> None:
        if host not in LOCAL_HOSTS and not (password and allowed_hosts):
            raise AnnotationError(AnnotateErrors.A015.format(host=host))
        self.ctx = ctx
        self.password = password
        self.bind_host = host
        self.allowed_hosts = LOCAL_HOSTS + tuple(h.lower() for h in allowed_hosts)
        super().__init__((host, port), Handler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        shown = "127.0.0.1" if host in ("0.0.0.0", "") else (f"[{host}]" if ":" in host else host)
        return f"http://{shown}:{port}/"

    def allowed_host(self, header: str | None) -> bool:
        """The Host header names this server: a loopback name, or one given with --allow-host (so a
        page on another domain that resolves to this machine, DNS rebinding, gets nothing)."""
        if not header:
            return False
        name = header.rsplit(":", 1)[0].strip("[]") if not header.endswith("]") else header.strip("[]")
        return name.lower() in self.allowed_hosts


def _nesting(text: str) -> int:
    """How deep brackets nest in a JSON text (strings skipped), without parsing it."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


class Handler(BaseHTTPRequestHandler):
    server: AnnotateServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the library never prints
        return

    # -- responses ---------------------------------------------------------------------------
    def _send(self, status: int, body: bytes, content_type: str, extra: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in {**SECURITY_HEADERS, **(extra or {})}.items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, payload: dict, extra: dict | None = None) -> None:
        self._send(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8",
                   extra)

    def _error(self, status: int, message: str, extra: dict | None = None) -> None:
        if self.command == "POST":
            self.close_connection = True  # an unread request body must not be taken for the next request
            extra = {**(extra or {}), "Connection": "close"}
        self._json(status, {"error": message, "status": status}, extra)

    # -- checks ------------------------------------------------------------------------------
    def _authorised(self) -> bool:
        if not self.server.allowed_host(self.headers.get("Host")):
            self._error(HTTPStatus.BAD_REQUEST, "unknown Host header")
            return False
        password = self.server.password
        if not password:
            return True
        header = self.headers.get("Authorization", "")
        if header.startswith("Basic "):
            try:
                _user, _, given = base64.b64decode(header[6:]).decode("utf-8").partition(":")
            except (ValueError, UnicodeDecodeError):
                given = ""
            if hmac.compare_digest(given.encode("utf-8"), password.encode("utf-8")):
                return True
        self._error(HTTPStatus.UNAUTHORIZED, "password required",
                    {"WWW-Authenticate": 'Basic realm="claims annotate", charset="UTF-8"'})
        return False

    def _same_origin(self) -> bool:
        expected = f"http://{self.headers.get('Host', '')}"
        if self.headers.get("Sec-Fetch-Site") not in (None, "same-origin", "none"):
            return False
        origin = self.headers.get("Origin")
        if origin is not None:
            return origin == expected
        referer = self.headers.get("Referer")
        if referer is not None:
            parts = urlsplit(referer)
            return f"{parts.scheme}://{parts.netloc}" == expected
        return True  # not a browser (no Origin, no Referer): the token alone decides

    def _read_body(self) -> dict | None:
        if not self._same_origin():
            self._error(HTTPStatus.FORBIDDEN, "cross-origin request refused")
            return None
        token = self.headers.get("X-Claims-Token", "")
        if not hmac.compare_digest(token.encode("utf-8"), self.server.ctx.token.encode("utf-8")):
            self._error(HTTPStatus.FORBIDDEN, "missing or wrong session token (reload the page)")
            return None
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY:
            self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE if length > MAX_BODY else HTTPStatus.BAD_REQUEST,
                        "request body missing or too large")
            return None
        if not self.headers.get("Content-Type", "").startswith("application/json"):
            self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send JSON (Content-Type: application/json)")
            return None
        raw = self.rfile.read(length)
        try:
            text = raw.decode("utf-8") if raw else "{}"
            if _nesting(text) > MAX_DEPTH:
                raise ValueError(f"nested more than {MAX_DEPTH} levels deep")
            body = json.loads(text)
        except (UnicodeDecodeError, ValueError, RecursionError) as exc:
            self._error(HTTPStatus.BAD_REQUEST, AnnotateErrors.A003.format(reason=exc))
            return None
        if not isinstance(body, dict):
            self._error(HTTPStatus.BAD_REQUEST, AnnotateErrors.A003.format(reason="expected a JSON object"))
            return None
        return body

    # -- methods -----------------------------------------------------------------------------
    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        if not self._authorised():
            return
        parts = urlsplit(self.path)
        if parts.path in STATIC:
            name, content_type = STATIC[parts.path]
            text = _static(name)
            if name == "index.html":
                text = text.replace("__TOKEN__", self.server.ctx.token)
            self._send(HTTPStatus.OK, text.encode("utf-8"), content_type)
            return
        if parts.path == "/favicon.ico":
            self._send(HTTPStatus.NO_CONTENT, b"", "image/x-icon")
            return
        route = GET_ROUTES.get(parts.path)
        if route is None:
            self._error(HTTPStatus.NOT_FOUND, f"no such page: {parts.path}")
            return
        self._run(route, dict(parse_qsl(parts.query)))

    do_HEAD = do_GET

    def do_POST(self) -> None:  # noqa: N802
        if not self._authorised():
            return
        route = POST_ROUTES.get(urlsplit(self.path).path)
        if route is None:
            status = HTTPStatus.METHOD_NOT_ALLOWED if urlsplit(self.path).path in GET_ROUTES else HTTPStatus.NOT_FOUND
            self._error(status, f"no such endpoint: POST {urlsplit(self.path).path}")
            return
        body = self._read_body()
        if body is not None:
            self._run(route, body)

    def _run(self, route, argument: dict) -> None:
        try:
            payload = route(self.server.ctx, argument)
        except AnnotationError as exc:
            self._error(exc.status, str(exc))
            return
        except ClaimsError as exc:
            self._error(HTTPStatus.BAD_REQUEST, str(exc))
            return
        except Exception as exc:  # a bug must still answer, not drop the connection
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, f"internal error: {type(exc).__name__}: {exc}")
            return
        self._json(HTTPStatus.OK, payload)


def make_server(store: Store, annotator: str, *, host: str = "127.0.0.1", port: int = 8765,
                password: str | None = None, allowed_hosts: tuple[str, ...] = ()) -> AnnotateServer:
    """A server bound and ready (port 0 picks a free port); call serve_forever() to run it. Bound
    beyond loopback it needs a password and the host names browsers will use (`allowed_hosts`)."""
    ctx = AppContext(store=store, annotator=annotator, token=secrets.token_urlsafe(32))
    return AnnotateServer(ctx, host=host, port=port, password=password, allowed_hosts=allowed_hosts)


def serve_in_thread(server: AnnotateServer, *, poll_interval: float = 0.05) -> threading.Thread:
    """Serve from a daemon thread (tests, notebooks); stop with server.shutdown()."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": poll_interval},
                              name="claims-annotate", daemon=True)
    thread.start()
    return thread
