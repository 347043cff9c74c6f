"""One load-generating process holding thousands of screens: `python -m tests.benchmark.crowd`.

`make bench` starts one or more of these beside the servers (tests.benchmark.streams) so that
5,000 screens cost the load little CPU: each screen is an asyncio Protocol on uvloop when it is
installed, parsing no more than it needs, with no Django.

Given several --path, screen i uses the i-th in turn (phones in their readers' languages).

- `--mode sse`: each screen holds `GET <path>` as an EventSource does and finds the `id: `
  lines of the stream (the live version of each event); when the stream fails or ends it
  reconnects after the server's `retry:` (or --retry) with `Last-Event-ID`, as a browser does.
- `--mode poll`: each screen polls `<path>` (live.json) every --interval with If-None-Match on
  one keep-alive connection, as static/js/live-clock.js does; the version is the ETag's.

It prints `ready` once every screen has a first state, then, when told `stop` on its input
(`stop <version> <seconds>`: once every screen has that version, or that long at most) or at
--until (a time of the system's monotonic clock, which the parent shares), one line of JSON:
for each screen the (version, monotonic time) it first saw each version at, and the tally of
requests and errors.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import resource
import sys
import time

SSE_REQUEST = "GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n{extra}\r\n"
POLL_REQUEST = "GET {path} HTTP/1.1\r\nHost: {host}\r\n{extra}\r\n"


class Crowd:
    def __init__(self, options: argparse.Namespace) -> None:
        self.options = options
        self.loop = asyncio.get_running_loop()
        self.until = options.until
        self.count = options.count
        self.seen: list[dict[int, float]] = [{} for _ in range(self.count)]
        self.latencies: list[float] = []  # polling: each request's time to its answer
        self.statuses: dict[int, int] = {}
        self.errors: dict[str, int] = {}
        self.reconnects = 0  # streams opened again after the first
        self.refused = 0  # connection attempts refused (the server away, as in a restart)
        self.waiting = set(range(self.count))
        self.ready = asyncio.Event()
        self.host = f"{options.host}:{options.port}"

    def path(self, index: int) -> str:
        paths = self.options.path
        return paths[index % len(paths)]

    def over(self) -> bool:
        return time.monotonic() >= self.until

    def fail(self, reason: str) -> None:
        if not self.over():
            self.errors[reason] = self.errors.get(reason, 0) + 1

    def status(self, status: int) -> None:
        self.statuses[status] = self.statuses.get(status, 0) + 1

    def saw(self, index: int, version: int) -> None:
        seen = self.seen[index]
        if version not in seen:
            seen[version] = time.monotonic()
            if index in self.waiting:
                self.waiting.discard(index)
                if not self.waiting:
                    self.ready.set()

    def connect(self, index: int, factory) -> None:
        if self.over():
            return
        self.loop.create_task(self.open(index, factory))

    async def open(self, index: int, factory) -> None:
        try:
            await self.loop.create_connection(
                lambda: factory(self, index), self.options.host, self.options.port
            )
        except ConnectionRefusedError:
            self.refused += 1
            self.later(self.retry(index, factory), index, factory)
        except OSError as error:
            self.fail(type(error).__name__)
            self.later(self.retry(index, factory), index, factory)

    def retry(self, index: int, factory) -> float:
        """As EventSource: the server's last `retry:` for every reconnection, failed or not."""
        if factory is StreamScreen:
            return StreamScreen.retries.get(index, self.options.retry)
        return self.options.interval

    def later(self, delay: float, index: int, factory) -> None:
        self.loop.call_later(delay, self.connect, index, factory)

    def result(self) -> dict:
        return {
            "seen": [list(seen.items()) for seen in self.seen],
            "latencies": self.latencies,
            "statuses": self.statuses,
            "errors": self.errors,
            "reconnects": self.reconnects,
            "refused": self.refused,
        }


class StreamScreen(asyncio.Protocol):
    """A screen's EventSource: the versions of the events, nothing else read."""

    last_ids: dict[int, int] = {}  # per screen, the id of its last event (Last-Event-ID)
    retries: dict[int, float] = {}

    def __init__(self, crowd: Crowd, index: int) -> None:
        self.crowd, self.index = crowd, index
        self.head: bytes | None = b""  # None once the answer's head is read
        self.tail = b"\n"  # the body starts a line
        self.transport: asyncio.Transport | None = None

    def connection_made(self, transport) -> None:
        self.transport = transport
        last = self.last_ids.get(self.index)
        extra = f"Last-Event-ID: {last}\r\n" if last is not None else ""
        path = self.crowd.path(self.index)
        transport.write(
            SSE_REQUEST.format(path=path, host=self.crowd.host, extra=extra).encode("latin-1")
        )

    def data_received(self, data: bytes) -> None:
        if self.head is not None:
            self.head += data
            end = self.head.find(b"\r\n\r\n")
            if end < 0:
                return
            status = int(self.head[9:12])
            self.crowd.status(status)
            data, self.head = self.head[end + 4 :], None
            if status != 200:
                self.crowd.fail(f"HTTP {status}")
                self.transport.close()
                return
        buffer = self.tail + data
        if self.index not in self.retries:  # the server's `retry:` comes first, once
            retry = buffer.find(b"\nretry: ")
            end = buffer.find(b"\n", retry + 1) if retry >= 0 else -1
            if end >= 0:
                self.retries[self.index] = int(buffer[retry + 8 : end]) / 1000
        at = 0
        while (found := buffer.find(b"id: ", at)) >= 0:
            if not found or buffer[found - 1] != 10:  # not at the start of a line
                at = found + 4
                continue
            end = buffer.find(b"\n", found)
            if end < 0:
                self.tail = buffer[found - 1 :]  # with the newline before it
                return
            version = int(buffer[found + 4 : end])
            self.last_ids[self.index] = version
            self.crowd.saw(self.index, version)
            at = end
        # The start of a line ("\nid:", or "\nretry: 1000" until read) cut by the read.
        self.tail = buffer[-4:] if self.index in self.retries else buffer[-20:]

    def connection_lost(self, exc) -> None:
        crowd = self.crowd
        if crowd.over():
            return
        crowd.fail("stream ended" if exc is None else type(exc).__name__)
        crowd.reconnects += 1
        delay = self.retries.get(self.index, crowd.options.retry)
        crowd.later(delay, self.index, StreamScreen)


class PollScreen(asyncio.Protocol):
    """A display polling live.json on one keep-alive connection."""

    def __init__(self, crowd: Crowd, index: int) -> None:
        self.crowd, self.index = crowd, index
        self.buffer = b""
        self.etag: str | None = None
        self.sent = 0.0
        self.transport: asyncio.Transport | None = None
        self.pending = False
        self.handle: asyncio.TimerHandle | None = None

    def connection_made(self, transport) -> None:
        self.transport = transport
        self.send()

    def send(self) -> None:
        if self.crowd.over():
            self.transport.close()
            return
        extra = f"If-None-Match: {self.etag}\r\n" if self.etag else ""
        request = POLL_REQUEST.format(
            path=self.crowd.path(self.index), host=self.crowd.host, extra=extra
        )
        self.pending = True
        self.sent = time.monotonic()
        self.transport.write(request.encode("latin-1"))

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while self.pending and self.answer():
            pass

    def answer(self) -> bool:
        """Read one whole answer from the buffer (False when it has not all come yet)."""
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return False
        lines = self.buffer[:end].decode("latin-1").split("\r\n")
        status = int(lines[0][9:12])
        length, etag, close, chunked = 0, None, False, False
        for line in lines[1:]:
            name, _, value = line.partition(":")
            name = name.lower()
            if name == "content-length":
                length = int(value)
            elif name == "etag":
                etag = value.strip()
            elif name == "connection" and value.strip().lower() == "close":
                close = True
            elif name == "transfer-encoding" and "chunked" in value.lower():
                chunked = True
        if chunked:  # the body ends with the last, empty chunk (JSON holds no CRLF)
            if self.buffer.startswith(b"0\r\n\r\n", end + 4):
                length = 5
            else:
                last = self.buffer.find(b"\r\n0\r\n\r\n", end + 4)
                if last < 0:
                    return False
                length = last + 7 - (end + 4)
        if len(self.buffer) < end + 4 + length:
            return False
        self.buffer = self.buffer[end + 4 + length :]
        crowd = self.crowd
        crowd.latencies.append(time.monotonic() - self.sent)
        crowd.status(status)
        self.pending = False
        if status >= 400:
            crowd.fail(f"HTTP {status}")
        elif status == 200 and etag:
            self.etag = etag
            crowd.saw(self.index, int(etag.strip('"W/').split("-")[0]))
        if close:
            self.transport.close()
        else:
            self.handle = crowd.loop.call_later(crowd.options.interval, self.send)
        return True

    def connection_lost(self, exc) -> None:
        if self.handle is not None:
            self.handle.cancel()
        crowd = self.crowd
        if self.pending:
            crowd.fail("connection lost" if exc is None else type(exc).__name__)
        crowd.later(crowd.options.interval if self.pending else 0, self.index, PollScreen)


async def run(options: argparse.Namespace) -> dict:
    crowd = Crowd(options)
    factory = StreamScreen if options.mode == "sse" else PollScreen
    # Screens do not start in lockstep: spread the first connections.
    for index in range(options.count):
        crowd.later(options.spread * random.random(), index, factory)
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(options.until - time.monotonic()):
            await crowd.ready.wait()
            print("ready", flush=True)
    # Until the parent says stop (a line on stdin, or its end), or --until at the latest.
    reader = asyncio.StreamReader()
    await crowd.loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(max(0.0, options.until - time.monotonic())):
            line = (await reader.readline()).split()
    # `stop <version> <seconds>`: first wait (that long at most) until every screen has it.
    if len(line) == 3:
        version, seconds = int(line[1]), float(line[2])
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and any(
            max(seen, default=-1) < version for seen in crowd.seen
        ):
            await asyncio.sleep(0.05)
    crowd.until = time.monotonic()
    return crowd.result()


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmark.crowd")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--path", nargs="+", required=True, help="one each screen in turn")
    parser.add_argument("--mode", choices=("sse", "poll"), required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--until", type=float, required=True, help="time.monotonic() to stop")
    parser.add_argument("--spread", type=float, default=0.5, help="seconds to start them over")
    parser.add_argument("--interval", type=float, default=0.5, help="between polls")
    parser.add_argument("--retry", type=float, default=1.0, help="before reconnecting")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    options = arguments(argv)
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    try:
        import uvloop
    except ImportError:
        result = asyncio.run(run(options))
    else:
        result = uvloop.run(run(options))
    # The parent's event loop may hand the pipe over non-blocking: a line longer than the
    # pipe's 64 KiB was cut there (the parent read invalid JSON), the rest lost.
    os.set_blocking(sys.stdout.fileno(), True)
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
