"""Run a simulator in a background thread with its own event loop (for tests), or serve one
in the current loop until cancelled (for ``python -m extractor.testing.simulator``)."""

from __future__ import annotations

import asyncio
import socket
import threading
from types import TracebackType

from aiohttp import web

from extractor.testing.simulator.config import SimulatorConfig
from extractor.testing.simulator.server import SimulatorServer, Stats

SHUTDOWN_TIMEOUT = 0.1
"""Seconds in-flight handlers (a ``hang`` fault, say) get at shutdown before being cancelled."""


def bind(host: str, port: int) -> socket.socket:
    """A listening-ready TCP socket; port 0 picks a free one."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def url_for(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/v1"


async def start(server: SimulatorServer, sock: socket.socket) -> web.AppRunner:
    """Serve ``server`` on ``sock`` in the running loop; clean up with ``runner.cleanup()``."""
    runner = web.AppRunner(
        server.app(), access_log=None, handle_signals=False, shutdown_timeout=SHUTDOWN_TIMEOUT
    )
    await runner.setup()
    await web.SockSite(runner, sock, backlog=1024).start()
    return runner


async def shutdown(runner: web.AppRunner) -> None:
    """Stop serving, then cancel what is still running (handlers of hanging requests)."""
    await runner.cleanup()
    current = asyncio.current_task()
    tasks = [task for task in asyncio.all_tasks() if task is not current]
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


class Simulator:
    """A simulator on a free port of 127.0.0.1, served from a daemon thread.

    ``with Simulator(config) as sim:`` gives ``sim.base_url`` ("http://127.0.0.1:PORT/v1") and
    ``sim.stats``; leaving the block stops it (well under a second, even with hanging requests).
    """

    def __init__(
        self, config: SimulatorConfig | None = None, *, host: str = "127.0.0.1", port: int = 0
    ) -> None:
        self.config = config or SimulatorConfig()
        self.server = SimulatorServer(self.config)
        self._host, self._port = host, port
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self._thread: threading.Thread | None = None
        self.base_url = ""

    @property
    def stats(self) -> Stats:
        return self.server.stats

    def start(self) -> Simulator:
        if self._thread is not None:
            return self
        sock = bind(self._host, self._port)
        self.base_url = url_for(sock)
        loop = asyncio.new_event_loop()
        thread = threading.Thread(target=loop.run_forever, name="simulator", daemon=True)
        thread.start()  # set up inside it: the caller's thread may be running a loop already
        try:
            self._runner = asyncio.run_coroutine_threadsafe(start(self.server, sock), loop).result(
                timeout=5
            )
        except BaseException:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=5)
            loop.close()
            sock.close()
            raise
        self._loop, self._thread = loop, thread
        return self

    def stop(self) -> None:
        loop, runner, thread = self._loop, self._runner, self._thread
        if loop is None or runner is None or thread is None:
            return
        self._loop = self._runner = self._thread = None
        try:
            asyncio.run_coroutine_threadsafe(shutdown(runner), loop).result(timeout=5)
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=5)
            loop.close()

    def __enter__(self) -> Simulator:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
