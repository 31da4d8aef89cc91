"""Where the watch tests' notifications go: a real SMTP server (aiosmtpd) and an HTTP
receiver, both in this process, on 127.0.0.1 ports of their own.

The SMTP server can be told to stop at the Nth message (``hold_at``): its MAIL command
then signals ``held`` and gets no answer until ``release()``, so a test can kill the
sender at that exact point, waiting on an event, not on time.
"""
from __future__ import annotations

import asyncio
import email
import email.policy
import json
import socket
import threading
from email.header import decode_header, make_header
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpReceiver:
    def __init__(self, hold_at: int | None = None) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.hold_at = hold_at
        self.held = threading.Event()
        self._mails = 0
        self._release: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    # aiosmtpd handler hooks
    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        self._mails += 1
        if self.hold_at is not None and self._mails == self.hold_at:
            self._loop = asyncio.get_running_loop()
            self._release = asyncio.Event()
            self.held.set()
            await self._release.wait()
            return "421 closing"
        envelope.mail_from = address
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted"

    def release(self) -> None:
        if self._loop is not None and self._release is not None:
            self._loop.call_soon_threadsafe(self._release.set)

    @property
    def subjects(self) -> list[str]:
        return [str(make_header(decode_header(m["Subject"]))) for m in self.messages]

    def bodies(self) -> list[str]:
        return [m.get_body(("plain",)).get_content() for m in self.messages]

    def __enter__(self) -> SmtpReceiver:
        from aiosmtpd.controller import Controller

        self.port = free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
        self._controller.stop()

    def url(self) -> str:
        return f"mailto://127.0.0.1:{self.port}?from=watch@example.org&to=team@example.org"


class HttpReceiver:
    """Takes JSON POSTs (apprise's json:// body: title, message, type) and keeps them."""

    def __init__(self, status: int = 200) -> None:
        self.posts: list[dict] = []
        self.status = status

    def __enter__(self) -> HttpReceiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                if receiver.status == 200:
                    receiver.posts.append(json.loads(body))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def url(self) -> str:
        return f"json://127.0.0.1:{self._server.server_port}/hook"

    @property
    def titles(self) -> list[str]:
        return [p["title"] for p in self.posts]
