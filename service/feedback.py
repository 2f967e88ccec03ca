"""The service's side of readers' reports: the store it writes to and the per-client limit."""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

from feedback.store import FeedbackStore, StoreUnavailable, describe_url

log = logging.getLogger("service")


class ClientLimiter:
    """At most the configured number of reports per client address in each window.

    In memory, per worker process: with N workers a client may send up to N times the limit.
    """

    def __init__(self, spec: str) -> None:
        self.spec = spec
        self.items: list[RateLimitItem] = parse_many(spec)
        self._limiter = MovingWindowRateLimiter(MemoryStorage())

    def hit(self, client: str) -> int | None:
        """Count one report of ``client``; None when allowed, else seconds until it would be.

        A refused report does not count, so a client that waits as told gets through.
        """
        for item in self.items:
            if not self._limiter.test(item, "feedback", client):
                reset, _ = self._limiter.get_window_stats(item, "feedback", client)
                return max(1, math.ceil(reset - time.time()))
        for item in self.items:
            self._limiter.hit(item, "feedback", client)
        return None


@dataclass(frozen=True)
class StoreHealth:
    ok: bool
    detail: str | None = None


class FeedbackService:
    """The store, opened on first use (a store that is down does not stop the service)."""

    def __init__(self, url: str, policy: str, rate_limit: str) -> None:
        self.store = FeedbackStore(url)
        self.policy = policy
        self.limiter = ClientLimiter(rate_limit)

    def prepare(self) -> None:
        """Migrate the store at start-up when it can be reached; log why not otherwise."""
        try:
            self.store.ensure_ready()
        except StoreUnavailable as exc:
            log.error(
                "feedback store %s unavailable at start-up (reports answer 503): %s",
                describe_url(self.store.url),
                exc,
            )

    def health(self) -> StoreHealth:
        try:
            self.store.ping()
        except StoreUnavailable as exc:
            return StoreHealth(False, str(exc))
        return StoreHealth(True)

    def close(self) -> None:
        self.store.dispose()
