"""Scored answers as JSON bytes, and a per-model cache of them.

Extensions in many browsers send the same popular article again and again; scoring is
deterministic, so one model answers the same texts with the same bytes. The cache lives on the
loaded model (service.model_holder): a reload starts with an empty one, never a stale answer.

Answers are serialised straight from the core's dataclasses with one compiled pydantic
serialiser; the ``ScoreResponse`` schema documents the same shape (a test keeps them equal).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from sensational.results import ExtractionQuality, ScoreResult, result_json

# headline, body, and the extraction's verdict when the answer carries them as `extracted`
# (an `html` request); None for texts sent as they are.
CacheKey = tuple[str, str, ExtractionQuality | None]


@dataclass(frozen=True, slots=True)
class Answer:
    score: float
    json: bytes


def render(result: ScoreResult) -> Answer:
    return Answer(result.score, result_json(result))


def render_batch(answers: list[Answer]) -> bytes:
    return b'{"results":[' + b",".join(a.json for a in answers) + b"]}"


class AnswerCache:
    """A least-recently-used map of answers, bounded by the bytes it holds.

    Parameters
    ----------
    max_bytes
        Budget for the texts of the keys and the JSON of the answers; 0 disables the cache.
        One entry may take at most an eighth of it, so a few huge articles cannot evict
        everything else.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[CacheKey, Answer] = OrderedDict()
        self._size = 0
        # Routes run in FastAPI's thread pool: OrderedDict moves are not atomic.
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def size(self) -> int:
        return self._size

    def get(self, key: CacheKey) -> Answer | None:
        with self._lock:
            answer = self._entries.get(key)
            if answer is not None:
                self._entries.move_to_end(key)
            return answer

    def put(self, key: CacheKey, answer: Answer) -> None:
        cost = _cost(key, answer)
        if cost > self.max_bytes // 8:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= _cost(key, old)
            self._entries[key] = answer
            self._size += cost
            while self._size > self.max_bytes:
                k, a = self._entries.popitem(last=False)
                self._size -= _cost(k, a)


def _cost(key: CacheKey, answer: Answer) -> int:
    # Characters of the texts count as bytes: close enough for a budget.
    return len(key[0]) + len(key[1]) + len(answer.json)
