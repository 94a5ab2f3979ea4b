"""A real SMTP server for a developer's machine and the tests (aiosmtpd). No Flask here.

Each message it receives is kept in memory (the tests read them) and, when a folder is
given, written there as an `.eml` file to open in a mail program.
"""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


@dataclass
class Received:
    sender: str
    recipients: list[str]
    message: EmailMessage

    def part(self, subtype: str) -> str:
        body = self.message.get_body(preferencelist=(subtype,))
        return body.get_content() if body is not None else ""


@dataclass
class Handler:
    folder: Path | None = None
    # "550 …" to refuse every message, as a server that will not take them would.
    refuse_with: str | None = None
    delay: float = 0.0
    received: list[Received] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.delay:
            import asyncio

            await asyncio.sleep(self.delay)
        if self.refuse_with:
            return self.refuse_with
        raw = envelope.original_content or envelope.content
        message = message_from_bytes(raw, policy=policy.default)
        with self._lock:
            received = Received(envelope.mail_from, list(envelope.rcpt_tos), message)
            self.received.append(received)
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)
            stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
            (self.folder / f"{stamp}.eml").write_bytes(raw)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(port: int = 0, folder: Path | None = None) -> tuple[Controller, Handler]:
    """Start a server on 127.0.0.1 (a free port when 0) in a background thread."""
    handler = Handler(folder=folder)
    controller = Controller(handler, hostname="127.0.0.1", port=port or free_port())
    controller.start()
    return controller, handler
