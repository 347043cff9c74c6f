"""The outbox's throughput: emails queued, then sent by real worker processes.

    DATABASE_URL=sqlite:////tmp/cam-outbox.sqlite3 python -m tests.benchmark.outbox
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/cam_outbox python -m tests.benchmark.outbox

For each number of workers (`--workers 1,2`) it empties the outbox, queues `--emails`
emails (`--kind ready`: written when asked, as a password reset is; `--kind invitation`: to as
many panelists of one meeting, each composed by the worker with its slot and calendar file),
starts that many `manage.py db_worker --batch` processes (README's production command) and
waits for them to finish. Every message is written as a file (EMAIL_URL=file:...), and the run
checks that each email went out once. Prints emails queued per second and sent per second.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


def worker_processes(environment: dict[str, str], count: int) -> list[subprocess.Popen]:
    """`count` workers that send every email due, then exit (`db_worker --batch`)."""
    env = {**os.environ, **environment, "DJANGO_DEBUG": "0", "PYTHONPATH": str(PROJECT)}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    command = [
        sys.executable,
        "manage.py",
        "db_worker",
        "--batch",
        "--queue-name",
        "*",
        "--no-startup-delay",
        "--no-reload",
        "--verbosity",
        "0",
    ]
    return [
        subprocess.Popen(command, cwd=PROJECT, env=env, stderr=subprocess.PIPE, text=True)  # noqa: S603  (our own command)
        for _ in range(count)
    ]


def finish(processes: list[subprocess.Popen], timeout: float = 600) -> None:
    for process in processes:
        _out, errors = process.communicate(timeout=timeout)
        if process.returncode != 0:
            raise RuntimeError(f"a worker failed ({process.returncode}): {errors[-2000:]}")


def queue_emails(count: int, kind: str) -> float:
    """Queue `count` emails; seconds it took."""
    from meetings.models import EmailKind
    from meetings.services import invitations, outbox
    from tests.factories import make_meeting, make_panelist

    if kind == "invitation":
        meeting = make_meeting(slug=f"outbox-bench-{time.time_ns()}")
        panelists = [
            make_panelist(meeting, name=f"Panelist {n}", email=f"panelist{n}@example.org")
            for n in range(count)
        ]
        started = time.perf_counter()
        invitations.send_each(panelists, EmailKind.INVITATION, by=None)
        return time.perf_counter() - started
    started = time.perf_counter()
    for number in range(count):
        outbox.queue(
            EmailKind.PASSWORD_RESET,
            to=f"person{number}@example.org",
            language="en",
            composed=outbox.Composed("Reset your password", f"Hello {number},\n" * 20),
        )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--emails", type=int, default=1000)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--kind", choices=("ready", "invitation"), default="ready")
    options = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_SECRET_KEY", "outbox-bench-only-0123456789abcdefghijklmnopqrstuv")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from meetings.models import Email, EmailStatus

    call_command("migrate", verbosity=0)
    vendor = connection.vendor
    print(f"Outbox on {vendor}, {options.emails} emails ({options.kind})")
    for workers in [int(n) for n in options.workers.split(",")]:
        Email.objects.all().delete()
        DBTaskResult.objects.all().delete()
        folder = Path(tempfile.mkdtemp(prefix="cam-outbox-"))
        queued = queue_emails(options.emails, options.kind)
        environment = {
            "DATABASE_URL": os.environ["DATABASE_URL"],
            "EMAIL_URL": f"file:{folder}",
            "DJANGO_SECRET_KEY": os.environ["DJANGO_SECRET_KEY"],
            "DJANGO_ALLOWED_HOSTS": os.environ["DJANGO_ALLOWED_HOSTS"],
        }
        started = time.perf_counter()
        finish(worker_processes(environment, workers))
        sent_in = time.perf_counter() - started
        sent = Email.objects.filter(status=EmailStatus.SENT).count()
        files = len(list(folder.iterdir()))
        once = sent == files == options.emails
        print(
            f"  {workers} worker(s): queued {options.emails / queued:,.0f}/s; "
            f"sent {sent} in {sent_in:.1f} s = {sent / sent_in:,.0f} emails/s "
            f"(start of processes included); each once: {'yes' if once else f'NO ({files} files)'}"
        )


if __name__ == "__main__":
    main()
