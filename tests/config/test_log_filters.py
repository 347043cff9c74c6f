"""runserver's request log leaves out the screens' successful live polls, and nothing else."""

import logging

import pytest

from config.log_filters import QuietLivePolls


def request_line(line: str, status: int | None) -> logging.LogRecord:
    record = logging.LogRecord("django.server", logging.INFO, "", 0, '"%s" %s %s', (), None)
    record.args = (line, str(status), "120")
    record.status_code = status
    return record


@pytest.mark.parametrize(
    ("line", "status", "kept"),
    [
        ("GET /meetings/cam-2026/live.json HTTP/1.1", 200, False),
        ("GET /meetings/cam-2026/live.json?lang=es HTTP/1.1", 304, False),
        ("GET /meetings/cam-2026/live.json HTTP/1.1", 503, True),
        ("GET /meetings/cam-2026/console/ HTTP/1.1", 200, True),
        ("POST /meetings/cam-2026/console/action/ HTTP/1.1", 200, True),
        ("GET /respond/abc/ HTTP/1.1", 404, True),
    ],
)
def test_only_successful_live_polls_are_left_out(line, status, kept):
    assert QuietLivePolls().filter(request_line(line, status)) is kept


def test_the_server_log_uses_the_filter():
    handlers = logging.getLogger("django.server").handlers
    assert any(isinstance(f, QuietLivePolls) for handler in handlers for f in handler.filters)
