"""Development email: one file per message that a person (or a mail program) can read."""

import email
import logging
from email import policy

from django.core import mail
from django.test import override_settings


def outbox_settings(folder):
    return override_settings(
        MAILERS={
            "default": {"BACKEND": "config.mail.OutboxBackend", "OPTIONS": {"file_path": folder}}
        }
    )


def test_each_email_is_one_readable_file_named_for_its_recipient(tmp_path, caplog):
    with outbox_settings(str(tmp_path / "outbox")), caplog.at_level(logging.INFO, "config.mail"):
        message = mail.EmailMessage(
            "Invitación – reunión temática",
            "Estimada Sra. Pérez:\nSu intervención: 10:00–10:07.",
            "cam@example.org",
            ["ana@example.org"],
        )
        message.attach("meeting.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
        assert message.send() == 1
        mail.send_mail("Second", "Body", "cam@example.org", ["luis@example.org"])

    files = sorted((tmp_path / "outbox").iterdir())
    assert [path.name.split("-", 3)[-1] for path in files] == [
        "ana@example.org.eml",
        "luis@example.org.eml",
    ]
    raw = files[0].read_bytes()
    assert "Su intervención: 10:00–10:07.".encode() in raw  # the text as written, in UTF-8
    parsed = email.message_from_bytes(raw, policy=policy.default)
    assert parsed["Subject"] == "Invitación – reunión temática"
    assert [part.get_filename() for part in parsed.iter_attachments()] == ["meeting.ics"]
    assert "ana@example.org" in caplog.text and str(files[0]) in caplog.text
    assert "Invitación – reunión temática" in caplog.text
