import io
import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import override_settings

from mechanisms.models import SeedRecord  # noqa: F401  (Django is set up before conftest)


def find_chromium() -> str | None:
    for candidate in (os.environ.get("CHROMIUM_PATH"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file():
            return candidate
    return shutil.which("chromium") or shutil.which("chromium-browser")


CHROMIUM = find_chromium()
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def pytest_collection_modifyitems(config, items):
    """Browser tests skip where no Chromium is installed, except in CI, where they must run."""
    if CHROMIUM or IN_CI:
        return
    skip = pytest.mark.skip(
        reason="no Chromium found: install Debian's chromium (apt-get install chromium) "
        "or set CHROMIUM_PATH to run the browser tests"
    )
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM:
        pytest.fail("CI must run the browser tests, but no Chromium was found (/usr/bin/chromium).")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session", autouse=True)
def test_environment(worker_id):
    """Plain static files (no collectstatic in tests), a cache of its own per xdist worker."""
    from django.conf import settings

    cache = dict(settings.CACHES["default"])
    if "LOCATION" in cache and cache["LOCATION"].startswith("redis"):
        # Each worker gets its own Redis database, so clearing one never touches another.
        number = 1 + int(worker_id.removeprefix("gw")) if worker_id != "master" else 1
        cache["LOCATION"] = urlsplit(cache["LOCATION"])._replace(path=f"/{number}").geturl()
    plain_static = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # A fast hasher: the real one costs a quarter of a second per test user by design.
    fast_hasher = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with override_settings(
        STORAGES=plain_static, CACHES={"default": cache}, PASSWORD_HASHERS=fast_hasher
    ):
        yield


@pytest.fixture(autouse=True)
def english_by_default():
    """Each test starts in English: a request in Spanish leaves its language on the thread."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def clear_cache():
    from django.core.cache import cache

    from config.common import shared_cache, throttle
    from meetings.live import feed
    from meetings.services import live_session

    cache.clear()
    shared_cache.breaker.reset()  # a pause after a failure in an earlier test ends here
    feed.drop_process_copies()
    live_session.sessions_kept.clear()
    throttle.forget_process_counts()
    yield


@pytest.fixture
def seeded(db):
    """The directory as `load_seeds` leaves it."""
    from django.core.management import call_command

    call_command("load_seeds", stdout=io.StringIO())
