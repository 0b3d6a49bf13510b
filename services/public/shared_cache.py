"""The shared cache as an accelerator, never a dependency.

Every read and write of the cache goes through here. When the cache fails (Redis
down, or so slow that its short socket timeouts expire), the failure costs one
request its timeout; for the next `RETRY_SECONDS` this process does not ask the
cache at all, so pages come straight from the database, and then one request
tries again. An outage is logged once when it starts and once when it ends, not
once per request.
"""

import logging
import time
from typing import Any

from django.core.cache import cache

logger = logging.getLogger(__name__)

RETRY_SECONDS = 10.0


class Breaker:
    """Whether to ask the cache now, and what to log when it fails or returns."""

    def __init__(self) -> None:
        self.down_since: float | None = None
        self.retry_at = 0.0

    def closed(self) -> bool:
        return self.down_since is None or time.monotonic() >= self.retry_at

    def failed(self, error: Exception) -> None:
        now = time.monotonic()
        if self.down_since is None:
            self.down_since = now
            logger.warning(
                "The cache is unavailable (%s); pages come from the database until "
                "it returns.",
                type(error).__name__,
            )
        self.retry_at = now + RETRY_SECONDS

    def worked(self) -> None:
        if self.down_since is not None:
            logger.warning(
                "The cache is back after %.0f s.", time.monotonic() - self.down_since
            )
            self.down_since = None


breaker = Breaker()


def get(key: str) -> Any:
    """The cached value, or None when there is none or the cache is unavailable."""
    if not breaker.closed():
        return None
    try:
        value = cache.get(key)
    except Exception as error:  # any failure of the cache is a miss
        breaker.failed(error)
        return None
    breaker.worked()
    return value


def set(key: str, value: Any, timeout: int | None) -> None:
    if not breaker.closed():
        return
    try:
        cache.set(key, value, timeout)
    except Exception as error:  # a cache that is down only costs speed
        breaker.failed(error)
    else:
        breaker.worked()


def incr(key: str, timeout: int) -> int | None:
    """Add one to a counter (made if missing, kept `timeout` seconds); the new
    count, or None when the cache is unavailable. One call to the cache, but
    for a counter's first count."""
    if not breaker.closed():
        return None
    try:
        try:
            value = cache.incr(key)
        except ValueError:
            # Missing: made at one, unless another process made it meanwhile.
            value = 1 if cache.add(key, 1, timeout) else cache.incr(key)
    except Exception as error:  # a count lost is better than a page lost
        breaker.failed(error)
        return None
    breaker.worked()
    return value


def take(key: str, amount: int) -> bool:
    """Take `amount` off a counter, as one step (a count added meanwhile stays);
    False when the counter is gone or the cache unavailable."""
    if not breaker.closed():
        return False
    try:
        cache.decr(key, amount)
    except ValueError:  # expired meanwhile
        return False
    except Exception as error:  # any failure of the cache: taken nothing
        breaker.failed(error)
        return False
    breaker.worked()
    return True


def get_many(keys: list[str]) -> dict[str, Any]:
    """The values found for these keys; none when the cache is unavailable."""
    if not breaker.closed():
        return {}
    try:
        found = cache.get_many(keys)
    except Exception as error:  # any failure of the cache is a miss
        breaker.failed(error)
        return {}
    breaker.worked()
    return found


def works() -> bool:
    """Ask the cache now, whatever happened before (for the health check)."""
    try:
        cache.set("guide:healthz", "ok", 10)
        ok = cache.get("guide:healthz") == "ok"
    except Exception as error:  # any failure means unavailable
        breaker.failed(error)
        return False
    if ok:
        breaker.worked()
    return ok
