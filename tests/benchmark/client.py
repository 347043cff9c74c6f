"""A small asyncio HTTP/1.1 client for load: thousands of keep-alive connections in one
process, each behaving like a display (poll, remember the ETag, wait, poll again).

Plain asyncio streams rather than a client library: it sends exactly the requests a display
sends, costs little CPU per request (the server shares the machine with it) and needs
nothing beyond the standard library.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import random
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field


class ProtocolError(Exception):
    """The server's answer was not HTTP/1.1 as expected."""


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes


@dataclass
class Tally:
    """Latencies and outcomes of one scenario."""

    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    errors: dict[str, int] = field(default_factory=dict)
    started: float = 0.0
    finished: float = 0.0

    def record(self, status: int, seconds: float) -> None:
        self.latencies.append(seconds)
        self.statuses[status] = self.statuses.get(status, 0) + 1

    def fail(self, reason: str) -> None:
        self.errors[reason] = self.errors.get(reason, 0) + 1

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def error_count(self) -> int:
        bad_statuses = sum(n for status, n in self.statuses.items() if status >= 400)
        return bad_statuses + sum(self.errors.values())

    @property
    def per_second(self) -> float:
        elapsed = self.finished - self.started
        return self.requests / elapsed if elapsed > 0 else 0.0

    def percentile(self, fraction: float) -> float:
        """Nearest-rank percentile of the latencies, in seconds (0 when nothing was measured)."""
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        rank = max(1, math.ceil(fraction * len(ordered)))
        return ordered[rank - 1]


class Connection:
    """One keep-alive connection; reconnects when the server closes it."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(
        self, method: str, path: str, headers: dict[str, str] | None = None, body: bytes = b""
    ) -> Answer:
        if self.writer is None or self.writer.is_closing():
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body)
        try:
            answer = await self.read_answer(method)
        except (ProtocolError, OSError, asyncio.IncompleteReadError):
            await self.close()
            raise
        if answer.headers.get("connection", "").lower() == "close":
            await self.close()
        return answer

    async def read_answer(self, method: str) -> Answer:
        if self.reader is None:
            raise ProtocolError("not connected")
        status, headers = await read_head(self.reader)
        body = b""
        if method != "HEAD" and status not in (204, 304):
            if "content-length" in headers:
                body = await self.reader.readexactly(int(headers["content-length"]))
            elif headers.get("transfer-encoding", "").lower() == "chunked":
                body = await self.read_chunks()
            else:
                raise ProtocolError("answer without a length")
        return Answer(status, headers, body)

    async def read_chunks(self) -> bytes:
        if self.reader is None:
            raise ProtocolError("not connected")
        return b"".join([chunk async for chunk in chunks(self.reader)])

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()
        self.reader = self.writer = None


async def read_head(reader: asyncio.StreamReader) -> tuple[int, dict[str, str]]:
    """The status and headers (names in lower case) of an HTTP/1.1 answer."""
    head = await reader.readuntil(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    parts = status_line.split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
        raise ProtocolError(status_line)
    headers: dict[str, str] = {}
    for line in header_lines:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    return int(parts[1]), headers


async def chunks(reader: asyncio.StreamReader) -> AsyncIterator[bytes]:
    """The chunks of a chunked body as they arrive, until the last (empty) one."""
    while True:
        size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
        chunk = await reader.readexactly(size + 2)
        if size == 0:
            return
        yield chunk[:-2]


async def timed(
    connection: Connection, tally: Tally, method: str, path: str, **kwargs
) -> Answer | None:
    """One request, recorded in the tally; None when it failed below HTTP."""
    started = time.perf_counter()
    try:
        answer = await connection.request(method, path, **kwargs)
    except (ProtocolError, OSError, asyncio.IncompleteReadError, ValueError) as error:
        tally.fail(type(error).__name__)
        return None
    tally.record(answer.status, time.perf_counter() - started)
    return answer


async def display(
    host: str,
    port: int,
    path: str,
    *,
    interval: float,
    until: float,
    tally: Tally,
    on_state: Callable[[bytes], None] | None = None,
) -> None:
    """Poll like a projector: If-None-Match with the last ETag, then wait `interval`."""
    connection = Connection(host, port)
    etag = None
    # Displays do not start in lockstep: spread the first polls over one interval.
    await asyncio.sleep(interval * random.random())
    try:
        while time.perf_counter() < until:
            headers = {"If-None-Match": etag} if etag else {}
            answer = await timed(connection, tally, "GET", path, headers=headers)
            if answer is not None:
                if answer.status == 200:
                    etag = answer.headers.get("etag")
                    if on_state:
                        on_state(answer.body)
            else:
                await asyncio.sleep(interval)  # connection lost: retry as the display does
            await asyncio.sleep(interval)
    finally:
        await connection.close()


async def hammer(
    host: str, port: int, path: str, *, until: float, tally: Tally, headers=None
) -> None:
    """Request as fast as the server answers, on one keep-alive connection."""
    connection = Connection(host, port)
    try:
        while time.perf_counter() < until:
            answer = await timed(connection, tally, "GET", path, headers=headers)
            if answer is None:
                await asyncio.sleep(0.05)
    finally:
        await connection.close()


async def run_hammer(
    host: str, port: int, path: str, *, connections: int, seconds: float, headers=None
) -> Tally:
    tally = Tally(started=time.perf_counter())
    until = tally.started + seconds
    await asyncio.gather(
        *(
            hammer(host, port, path, until=until, tally=tally, headers=headers)
            for _ in range(connections)
        )
    )
    tally.finished = time.perf_counter()
    return tally
