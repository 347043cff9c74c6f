"""Running a coroutine from a test, whichever tests ran before it in the same process."""

import asyncio
from concurrent.futures import ThreadPoolExecutor


def run_async(coroutine):
    """asyncio.run on a thread of its own: in a pytest-xdist worker that ran browser tests,
    Playwright keeps an event loop running on the main thread, where asyncio.run and
    async_to_sync refuse to start another."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
