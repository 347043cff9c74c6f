"""The load process's screens read what they must from the answers however TCP cuts them."""

from tests.benchmark import crowd
from tests.event_loop import run_async


class FakeTransport:
    def __init__(self) -> None:
        self.written = b""
        self.closed = False

    def write(self, data: bytes) -> None:
        self.written += data

    def close(self) -> None:
        self.closed = True


def feed(screen, pieces: list[bytes]) -> None:
    for piece in pieces:
        screen.data_received(piece)


def cut(data: bytes, size: int) -> list[bytes]:
    return [data[at : at + size] for at in range(0, len(data), size)]


async def a_crowd(mode: str) -> crowd.Crowd:
    options = crowd.arguments(
        ["--port", "1", "--path", "/x", "--mode", mode, "--count", "1", "--until", "1e12"]
    )
    return crowd.Crowd(options)


STREAM = (
    b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n"
    b'40\r\nretry: 2000\nid: 7\ndata: {"version": 7, "text": "id: 99"}\n\n\r\n'
    b"f\r\n: heartbeat\n\n\r\n"
    b'30\r\nid: 12\ndata: {"version": 12}\n\n\r\n'
)


def test_a_stream_screen_finds_each_event_id_and_the_retry_in_any_cut():
    async def scenario(size: int):
        crowd.StreamScreen.retries.clear()
        group = await a_crowd("sse")
        screen = crowd.StreamScreen(group, 0)
        screen.connection_made(FakeTransport())
        feed(screen, cut(STREAM, size))
        return sorted(group.seen[0]), crowd.StreamScreen.retries[0], group.ready.is_set()

    for size in (1, 2, 3, 5, 7, 64, len(STREAM)):
        assert run_async(scenario(size)) == ([7, 12], 2.0, True)


def test_a_stream_screen_resumes_with_the_last_event_id():
    async def scenario():
        group = await a_crowd("sse")
        first = crowd.StreamScreen(group, 0)
        first.connection_made(FakeTransport())
        feed(first, [STREAM])
        again = crowd.StreamScreen(group, 0)
        transport = FakeTransport()
        again.connection_made(transport)
        return transport.written

    assert b"Last-Event-ID: 12\r\n" in run_async(scenario())


def test_a_polling_screen_reads_chunked_and_unchanged_answers_and_asks_with_the_etag():
    full = b'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nETag: "19-en"\r\n\r\n'
    full += b'10\r\n{"version": 19}\r\n0\r\n\r\n'
    unchanged = b'HTTP/1.1 304 Not Modified\r\nETag: "19-en"\r\n\r\n'

    async def scenario(size: int):
        group = await a_crowd("poll")
        screen = crowd.PollScreen(group, 0)
        transport = FakeTransport()
        screen.connection_made(transport)
        feed(screen, cut(full, size))
        screen.handle.cancel()  # ask again at once rather than after the wait
        screen.send()
        feed(screen, cut(unchanged, size))
        screen.handle.cancel()
        return sorted(group.seen[0]), group.statuses, transport.written

    for size in (1, 4, 9, len(full)):
        seen, statuses, written = run_async(scenario(size))
        assert seen == [19]
        assert statuses == {200: 1, 304: 1}
        assert written.endswith(b'If-None-Match: "19-en"\r\n\r\n')
