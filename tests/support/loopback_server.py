"""An aiohttp server on a loopback port, in a thread of its own, for fake peers in tests.

Tests are synchronous (requests, subprocesses); the fake peers (the WeChat API,
the Telegram Bot API) are async servers.  A thread with its own event loop lets
both meet without the test needing an event loop.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Optional

from aiohttp import web

from bot.runtime.embedded_redis import free_port


class LoopbackServer:
    """Subclasses add their routes in :meth:`add_routes`; ``start()`` returns once it listens."""

    name = "loopback server"

    def __init__(self, port: Optional[int] = None) -> None:
        self.port = port or free_port()
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._thread: Optional[threading.Thread] = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def add_routes(self, app: web.Application) -> None:
        raise NotImplementedError

    def start(self):
        ready = threading.Event()

        def run() -> None:
            loop = self._loop = asyncio.new_event_loop()
            app = web.Application()
            self.add_routes(app)
            runner = web.AppRunner(app)
            loop.run_until_complete(runner.setup())
            loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", self.port).start())
            ready.set()
            loop.run_forever()
            loop.run_until_complete(runner.cleanup())
            loop.close()

        self._thread = threading.Thread(target=run, name=self.name, daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError(f"the {self.name} did not start")
        return self

    def stop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(10)
