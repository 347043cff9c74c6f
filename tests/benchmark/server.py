"""Production app processes on loopback, for `make bench` and the multi-process tests.

`app_server` starts exactly what README's production section runs (gunicorn with
config/gunicorn.py, debug off) with the environment it is given, waits until it answers,
and stops it afterwards; so the tests and the benchmark exercise the deployment files.
`asgi_server` starts uvicorn on config.asgi the same way: the events server of production, for
the live screens' streams (meetings.live.events).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]


@dataclass
class Server:
    host: str
    port: int
    process: subprocess.Popen
    log: Path

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def worker_pids(self) -> list[int]:
        """The gunicorn workers (children of the master), as the system lists them."""
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()] if children.exists() else []

    def pids(self) -> list[int]:
        """The master and every process below it (workers, and anything they started)."""
        found, waiting = [], [self.process.pid]
        while waiting:
            pid = waiting.pop()
            found.append(pid)
            for task in Path(f"/proc/{pid}/task").glob("*/children"):
                try:
                    waiting += [int(child) for child in task.read_text().split()]
                except OSError:  # the thread or process has just ended
                    continue
        return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The app server stopped at start (exit code {process.returncode}).")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (our loopback address)
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"The app server did not answer {url} within {timeout} s.")


@contextmanager
def app_server(
    environment: dict[str, str],
    *,
    workers: int = 2,
    threads: int = 8,
    port: int | None = None,
    log_dir: Path | None = None,
) -> Iterator[Server]:
    port = port or free_port()
    log = (log_dir or Path(tempfile.gettempdir())) / f"cam-app-server-{port}.log"
    env = {
        **os.environ,
        **environment,
        "DJANGO_DEBUG": "0",
        "WEB_BIND": f"127.0.0.1:{port}",
        "WEB_WORKERS": str(workers),
        "WEB_THREADS": str(threads),
        "PYTHONPATH": str(PROJECT),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    gunicorn = [sys.executable, "-m", "gunicorn", "-c", str(PROJECT / "config" / "gunicorn.py")]
    with serving(gunicorn, env, port, log) as server:
        yield server


@contextmanager
def asgi_server(
    environment: dict[str, str],
    *,
    workers: int = 2,
    port: int | None = None,
    log_dir: Path | None = None,
) -> Iterator[Server]:
    """uvicorn with `workers` processes on config.asgi:application, debug off, as README's
    production section runs it for the streams."""
    port = port or free_port()
    log = (log_dir or Path(tempfile.gettempdir())) / f"cam-asgi-server-{port}.log"
    env = {
        **os.environ,
        **environment,
        "DJANGO_DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONPATH": str(PROJECT),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    uvicorn = [
        *(sys.executable, "-m", "uvicorn", "config.asgi:application"),
        *("--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)),
        *("--lifespan", "off", "--no-access-log", "--log-level", "warning"),
        *("--timeout-graceful-shutdown", "5"),
    ]
    with serving(uvicorn, env, port, log) as server:
        yield server


@contextmanager
def serving(command: list[str], env: dict[str, str], port: int, log: Path) -> Iterator[Server]:
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 (our own command line)
            command, cwd=PROJECT, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    server = Server("127.0.0.1", port, process, log)
    try:
        wait_until_up(server.url + "/", process)
        yield server
    finally:
        stop(process)


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=35)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
