"""Calls to the cache that every app process shares (Redis in production), tolerant of its
absence: the live feed and the throttles keep working, only slower or less strict, while
Redis is away, and the log says so."""

import logging
from collections.abc import Callable

from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def tolerant[T](operation: Callable[..., T], *arguments) -> T | None:
    """operation(*arguments), e.g. tolerant(cache.get, key); None when Redis cannot be reached."""
    try:
        return operation(*arguments)
    except RedisError as error:
        logger.warning("Shared cache away (%s): %s", operation.__name__, error)
        return None
