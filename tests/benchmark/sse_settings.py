"""The production settings with the benchmark's URLconf (server-sent events added): `make bench`
starts uvicorn with DJANGO_SETTINGS_MODULE naming this module. Nothing else differs."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "tests.benchmark.sse_urls"
