"""The development server's request log, readable: the screens' live polls (two lines a second
per open display, console or speaker view) are left out when they succeed; their failures,
and every other request, are still logged."""

import logging
import re

LIVE_POLL = re.compile(r'"(?:GET|HEAD) [^ "]*/live\.json(?:\?[^ "]*)? HTTP/[0-9.]+"')


class QuietLivePolls(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is None or status >= 400:
            return True
        return not LIVE_POLL.search(record.getMessage())
