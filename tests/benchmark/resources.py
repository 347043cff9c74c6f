"""What the app server spends during a scenario: CPU seconds and memory of its processes (the
master and its workers, read from /proc) and the PostgreSQL connections open to its database.

A thread samples every SAMPLE_SECONDS while the scenario runs, so the load generator's event
loop never waits on it: CPU is the difference between the first and the last sample of each
process, memory the highest total RSS seen, connections the highest count seen.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

SAMPLE_SECONDS = 0.25
TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Usage:
    cpu_seconds: float
    peak_rss_mb: float
    peak_database_connections: int | None  # None when the database is not PostgreSQL


def cpu_seconds(pid: int) -> float | None:
    """User and system time of the process and all its threads (None once it has ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime and stime (fields 14 and 15)


def rss_bytes(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


class DatabaseConnections:
    """Counts the connections open to the database, this counter's own excepted."""

    def __init__(self, params: dict) -> None:
        import psycopg

        self.connection = psycopg.connect(**params, autocommit=True)

    def count(self) -> int:
        row = self.connection.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchone()
        return int(row[0]) if row else 0

    def close(self) -> None:
        self.connection.close()


class Sampler:
    """`with Sampler(server.pids, params) as sampler:` ... then `sampler.usage`."""

    def __init__(self, pids: Callable[[], list[int]], database: dict | None) -> None:
        self.pids = pids
        self.database = database
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.peak_rss = 0
        self.peak_connections: int | None = None
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run, name="bench-sampler", daemon=True)

    def __enter__(self) -> Sampler:
        self.counter = DatabaseConnections(self.database) if self.database else None
        self.sample()
        self.thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stopping.set()
        self.thread.join()
        self.sample()
        if self.counter is not None:
            self.counter.close()

    def run(self) -> None:
        while not self.stopping.wait(SAMPLE_SECONDS):
            self.sample()

    def sample(self) -> None:
        rss = 0
        for pid in self.pids():
            seconds = cpu_seconds(pid)
            if seconds is None:
                continue
            self.first.setdefault(pid, seconds)
            self.last[pid] = seconds
            rss += rss_bytes(pid)
        self.peak_rss = max(self.peak_rss, rss)
        if self.counter is not None:
            count = self.counter.count()
            self.peak_connections = max(self.peak_connections or 0, count)

    @property
    def usage(self) -> Usage:
        cpu = sum(self.last[pid] - self.first[pid] for pid in self.last)
        return Usage(cpu, self.peak_rss / 1024 / 1024, self.peak_connections)
