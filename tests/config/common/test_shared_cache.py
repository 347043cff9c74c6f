"""The one way to the shared cache: every call tolerant of a Redis away or hanging, a pause
after a failure (SECURITY.md, finding 2), and no code that reaches the cache another way."""

import ast
import logging
import socket
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import TimeoutError as RedisTimeout

from config.common import shared_cache
from config.common.env import cache_config

APPLICATION = ["config", "mechanisms", "meetings"]
ALLOWED_CACHE_IMPORTS = {
    "django.core.cache.backends.locmem",  # a process's own counts (config/common/throttle.py)
}


def reaches_the_cache(module: str) -> bool:
    return (
        module == "django.core.cache" or module.startswith("django.core.cache.")
    ) and module not in ALLOWED_CACHE_IMPORTS


def cache_imports(path: Path) -> list[str]:
    """How this file reaches Django's cache, if it does: `from django.core.cache import cache`,
    `caches`, `import django.core.cache`..."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [alias.name for alias in node.names]
            if reaches_the_cache(node.module):
                found += [f"from {node.module} import {name}" for name in names]
            elif node.module == "django.core" and "cache" in names:
                found.append("from django.core import cache")
        elif isinstance(node, ast.Import):
            found += [f"import {a.name}" for a in node.names if reaches_the_cache(a.name)]
    return found


def test_only_the_shared_cache_module_reaches_the_cache():
    """A call to the cache that bypasses config.common.shared_cache would wait on a hanging Redis
    and raise when it is away."""
    base = Path(settings.BASE_DIR)
    offenders = {
        str(path.relative_to(base)): imports
        for folder in APPLICATION
        for path in sorted((base / folder).rglob("*.py"))
        if "migrations" not in path.parts
        and path != base / "config" / "common" / "shared_cache.py"
        and (imports := cache_imports(path))
    }
    assert offenders == {}


def test_the_scan_finds_a_direct_use_of_the_cache(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from django.core.cache import cache, caches\nimport django.core.cache\n"
        "from django.core.cache.backends.locmem import LocMemCache\n"
    )
    assert cache_imports(sample) == [
        "from django.core.cache import cache",
        "from django.core.cache import caches",
        "import django.core.cache",
    ]


class Hanging:
    """A call that fails as a hanging Redis does once the timeout passes."""

    def __init__(self):
        self.calls = 0
        self.__name__ = "get"

    def __call__(self, *arguments):
        self.calls += 1
        raise RedisTimeout("Timeout reading from 127.0.0.1:6379")


@pytest.fixture
def clock(monkeypatch):
    now = [1000.0]
    monkeypatch.setattr(shared_cache.breaker, "clock", lambda: now[0])
    return now


def test_after_a_failure_redis_is_left_alone_for_the_pause(clock, settings, caplog):
    settings.REDIS_PAUSE_SECONDS = 5
    hanging = Hanging()
    with caplog.at_level(logging.WARNING, logger="config.common.shared_cache"):
        assert shared_cache.tolerant(hanging, "key") is None
    assert "Shared cache away (get): Timeout reading" in caplog.text
    assert "not asked again for 5 s" in caplog.text
    for _ in range(100):
        assert shared_cache.tolerant(hanging, "key") is None
    assert hanging.calls == 1  # the 100 calls in the pause cost nothing
    clock[0] += 4.9
    assert shared_cache.tolerant(hanging, "key") is None
    assert hanging.calls == 1
    clock[0] += 0.2  # the pause is over: Redis is asked again
    assert shared_cache.tolerant(hanging, "key") is None
    assert hanging.calls == 2


def test_a_redis_that_answers_again_is_used_at_once_after_the_pause(clock, settings):
    settings.REDIS_PAUSE_SECONDS = 5
    assert shared_cache.tolerant(Hanging(), "key") is None
    assert shared_cache.tolerant(lambda key: f"value of {key}", "key") is None  # in the pause
    clock[0] += 5.1
    assert shared_cache.tolerant(lambda key: f"value of {key}", "key") == "value of key"


def test_the_cache_calls_go_through_the_pause(clock, settings):
    shared_cache.set("greeting", "hello", 60)
    assert shared_cache.get("greeting") == "hello"
    shared_cache.tolerant(Hanging(), "key")
    assert shared_cache.get("greeting") is None  # not asked: the pause is on
    assert shared_cache.add("other", 1, 60) is None
    clock[0] += settings.REDIS_PAUSE_SECONDS + 0.1
    assert shared_cache.get("greeting") == "hello"


def test_a_redis_that_hangs_costs_one_call_the_timeout_then_nothing(monkeypatch):
    """The client as the settings configure it, on a socket that accepts and never answers
    (as a stopped Redis does): the first call waits REDIS_TIMEOUT, the next ones nothing."""
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        monkeypatch.setenv("REDIS_URL", f"redis://127.0.0.1:{silent.getsockname()[1]}/0")
        config = cache_config("REDIS_URL", timeout=0.25)
        hanging = RedisCache(config["LOCATION"], config)
        started = time.monotonic()
        assert shared_cache.tolerant(hanging.get, "key") is None
        first = time.monotonic() - started
        started = time.monotonic()
        for _ in range(50):
            assert shared_cache.tolerant(hanging.get, "key") is None
        rest = time.monotonic() - started
    assert 0.2 < first < 1.0  # the client's default was 5 s
    assert rest < 0.05
