"""Serve a FakeTelegram over HTTP, so a bot can reach it through TELEGRAM_API_URL."""

from __future__ import annotations

import contextlib
import json
from typing import Any

from tornado.httpserver import HTTPServer
from tornado.httputil import parse_body_arguments
from tornado.iostream import StreamClosedError
from tornado.netutil import bind_sockets
from tornado.web import Application, RequestHandler

from bot.offline.fake import FakeTelegram


class _MethodHandler(RequestHandler):
    def initialize(self, fake: FakeTelegram) -> None:
        self.fake = fake
        self.gone = False

    async def post(self, token: str, method: str) -> None:
        await self._answer(method)

    async def get(self, token: str, method: str) -> None:
        await self._answer(method)

    async def _answer(self, method: str) -> None:
        params: dict[str, Any] = {}
        files: dict[str, Any] = {}
        content_type = self.request.headers.get("Content-Type", "")
        if content_type.startswith("application/json") and self.request.body:
            params = json.loads(self.request.body)
        else:
            arguments: dict[str, list[bytes]] = {}
            uploads: dict[str, Any] = {}
            parse_body_arguments(content_type, self.request.body, arguments, uploads)
            for key, values in {**self.request.query_arguments, **arguments}.items():
                params[key] = _decode(values[-1].decode())
            for key, parts in uploads.items():
                part = parts[-1]
                files[key] = (part["filename"], part["body"], part["content_type"])
        body = await self.fake.call(method, params, files)
        if self.gone:
            return  # the bot went away while its call was held (killed): nobody to answer
        self.set_status(200 if body.get("ok") else int(body.get("error_code", 400)))
        self.set_header("Content-Type", "application/json")
        with contextlib.suppress(StreamClosedError):  # the bot went away meanwhile
            await self.finish(json.dumps(body))

    def on_connection_close(self) -> None:
        self.gone = True


def _decode(value: str) -> Any:
    # PTB sends every non-string parameter JSON-encoded in a form field.
    if value[:1] in "[{" or value in ("true", "false", "null") or value.lstrip("-").isdigit():
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


class OfflineServer:
    """A local Bot API endpoint: http://127.0.0.1:<port>/bot<token>/<method>."""

    def __init__(self, fake: FakeTelegram, host: str = "127.0.0.1", port: int = 0) -> None:
        self.fake = fake
        self.host = host
        self._sockets = bind_sockets(port, host)
        self.port = int(self._sockets[0].getsockname()[1])
        app = Application([(r"/bot([^/]+)/(\w+)", _MethodHandler, {"fake": fake})])
        self._server = HTTPServer(app)

    @property
    def url(self) -> str:
        """Return the root to put in TELEGRAM_API_URL."""
        return f"http://{self.host}:{self.port}"

    def start(self) -> None:
        """Start serving on the running event loop."""
        self._server.add_sockets(self._sockets)

    async def stop(self) -> None:
        """Stop serving and close open connections."""
        self._server.stop()
        await self._server.close_all_connections()
