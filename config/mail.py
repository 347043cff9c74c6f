"""Email kept where a person can read it, for development (`make run`).

Each message becomes one `.eml` file (any mail program opens it; its text body is plain UTF-8
in an editor) in the folder EMAIL_URL names (`file:.outbox`), and one line in the log says who
it went to, its subject and where the file is. Production sends by SMTP.
"""

import datetime as dt
import logging
import re
from pathlib import Path

from django.core.mail import InvalidMailer
from django.core.mail.backends.base import BaseEmailBackend

logger = logging.getLogger(__name__)


class OutboxBackend(BaseEmailBackend):
    def __init__(self, *, file_path: str | None = None, **kwargs):
        super().__init__(**kwargs)
        if not file_path:
            raise InvalidMailer("OPTIONS must define 'file_path'.", alias=self.alias)
        self.folder = Path(file_path).resolve()
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            message = f"Cannot use {self.folder} for email: {error}"
            raise InvalidMailer(message, alias=self.alias) from error

    def send_messages(self, email_messages) -> int:
        sent = 0
        for message in email_messages:
            path = self.file_for(message)
            path.write_bytes(message.message().as_bytes())
            recipients = ", ".join(message.recipients())
            logger.info("Email to %s, %r: %s", recipients, str(message.subject), path)
            sent += 1
        return sent

    def file_for(self, message) -> Path:
        """A name that sorts by time and says who it is for: 20261204-134618-123456-ana@x.eml."""
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        recipient = re.sub(r"[^\w.@+-]", "_", (message.recipients() or ["nobody"])[0])[:80]
        return self.folder / f"{stamp}-{recipient}.eml"
