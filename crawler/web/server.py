"""uvicorn, with one leniency: a request line holding raw UTF-8 (what `curl 'host/search?q=养老'`
sends, since curl does not percent-encode) is read as the percent-encoded URL a browser
would have sent. h11 rejects such a line outright (400 before the app sees it)."""
from __future__ import annotations

import re
import socket
from typing import Any

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

_NON_ASCII = re.compile(rb"[\x80-\xff]")


def escape_request_line(data: bytes) -> bytes:
    """``data`` with each non-ASCII byte before its first CRLF percent-encoded.

    Called only between requests, so those bytes are the request line (or, if a line was
    split across reads, a header's: encoding those is harmless, the app reads no header
    but Host)."""
    end = data.find(b"\r\n")
    line, rest = (data, b"") if end < 0 else (data[:end], data[end:])
    return _NON_ASCII.sub(lambda m: b"%%%02X" % m.group()[0], line) + rest


class LenientTargetProtocol(H11Protocol):
    def data_received(self, data: bytes) -> None:
        if self.conn.their_state is h11.IDLE:
            data = escape_request_line(data)
        super().data_received(data)


def server(app: Any) -> uvicorn.Server:
    return uvicorn.Server(uvicorn.Config(app, http=LenientTargetProtocol, log_level="warning"))


def serve(app: Any, host: str, port: int) -> None:
    """Serve ``app`` until interrupted (Ctrl-C)."""
    sock = socket.create_server((host, port), family=socket.AF_INET6 if ":" in host else socket.AF_INET)
    server(app).run(sockets=[sock])
