"""``python -m extractor.testing.simulator``: serve until killed, after printing
``listening on http://127.0.0.1:PORT/v1`` on stdout.

Every SimulatorConfig field is a flag (``--max-in-flight 32``, ``--error-500 0.1``,
``--scripted-faults 429,ok``, ``--status-401``); ``--answerer`` picks a built-in by name.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from dataclasses import fields
from typing import Any

from extractor.errors import ConfigError
from extractor.testing.simulator.answerers import BUILTIN
from extractor.testing.simulator.background import bind, shutdown, start, url_for
from extractor.testing.simulator.config import (
    FAULT_NAMES,
    SimulatorConfig,
    field_docs,
    flag_fields,
)
from extractor.testing.simulator.server import SimulatorServer


def fault_list(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


PARSERS: dict[str, Any] = {"float": float, "int | None": int, "list[str]": fault_list}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m extractor.testing.simulator",
        description="A local OpenAI-compatible chat-completions server with faults.",
        epilog="Fault rates are probabilities (their sum at most 1). --scripted-faults takes "
        "comma-separated names among: " + ", ".join(sorted(FAULT_NAMES)) + ".",
    )
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (loopback)")
    parser.add_argument(
        "--answerer",
        choices=sorted(BUILTIN),
        default="offline",
        help="what the model says: offline (the rule backend's answer, the default) or minimal "
        "(a shape-only answer for load tests: the first line as title, the rest empty)",
    )
    types = {f.name: str(f.type) for f in fields(SimulatorConfig)}
    docs = field_docs()
    for name in flag_fields():
        flag = "--" + name.replace("_", "-")
        if types[name] == "bool":
            parser.add_argument(flag, action="store_true", default=None, help=docs.get(name))
        else:
            kind = PARSERS.get(types[name], int)
            parser.add_argument(flag, type=kind, default=None, help=docs.get(name))
    return parser


def config_from(args: argparse.Namespace) -> SimulatorConfig:
    """The config the flags describe; unset flags keep the dataclass defaults."""
    given = {name: getattr(args, name) for name in flag_fields() if getattr(args, name) is not None}
    answerer = BUILTIN[args.answerer]
    if args.answerer == "offline":
        answerer({"messages": [{"role": "user", "content": "<posting>probe</posting>"}]})
    return SimulatorConfig(answerer=answerer, **given)


async def serve(config: SimulatorConfig, host: str, port: int) -> None:
    """Serve until SIGINT or SIGTERM."""
    sock = bind(host, port)
    runner = await start(SimulatorServer(config), sock)
    print(f"listening on {url_for(sock)}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    await shutdown(runner)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        config = config_from(args)
        asyncio.run(serve(config, args.host, args.port))
    except (ConfigError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
