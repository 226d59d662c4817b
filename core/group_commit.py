"""Store what concurrent callers submit together, in one transaction (group commit)."""

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")


@dataclass
class _Waiting(Generic[Item, Result]):
    item: Item
    ready: threading.Event = field(default_factory=threading.Event)
    leads: bool = False
    result: Result | None = None
    error: Exception | None = None


class GroupCommit(Generic[Item, Result]):
    """Group the items submitted while a transaction runs into the next one.

    No thread of its own: the caller that finds nothing running leads. It stores what
    waits at that moment (its own item first) with `store_all`, one transaction, then
    hands the lead to the first item that arrived meanwhile. Each caller returns once its
    own item is stored, with its own result or error. A group that fails is stored again
    one item per call, so a bad item fails alone, as it would have on its own.
    """

    def __init__(self, store_all: Callable[[list[Item]], list[Result]], *,
                 weight: Callable[[Item], int] = lambda item: 1, limit: int = 1000) -> None:
        self._store_all, self._weight, self._limit = store_all, weight, limit
        self._lock = threading.Lock()
        self._queue: list[_Waiting[Item, Result]] = []
        self._busy = False

    def submit(self, item: Item) -> Result:
        """Store one item, together with those submitted meanwhile; return its result."""
        waiting = _Waiting(item)
        with self._lock:
            self._queue.append(waiting)
            if not self._busy:
                self._busy = waiting.leads = True
        if not waiting.leads:
            waiting.ready.wait()  # stored by a leader, or asked to lead the next group
        if waiting.leads:
            self._lead()
        if waiting.error is not None:
            raise waiting.error
        return waiting.result

    def _lead(self) -> None:
        with self._lock:
            group = self._take()
        try:
            self._store(group)
        finally:
            with self._lock:
                if self._queue:
                    self._queue[0].leads = True
                    self._queue[0].ready.set()
                else:
                    self._busy = False
            for waiting in group:
                waiting.ready.set()

    def _take(self) -> list[_Waiting[Item, Result]]:
        """Take waiting items up to the limit's weight (always at least the first)."""
        taken, total = 0, 0
        for waiting in self._queue:
            total += self._weight(waiting.item)
            if taken and total > self._limit:
                break
            taken += 1
        group, self._queue = self._queue[:taken], self._queue[taken:]
        return group

    def _store(self, group: list[_Waiting[Item, Result]]) -> None:
        try:
            results = self._store_all([waiting.item for waiting in group])
        except Exception as error:  # handed to the caller whose item it is, and raised there
            if len(group) == 1:
                group[0].error = error
                return
            for waiting in group:
                self._store([waiting])
            return
        for waiting, result in zip(group, results, strict=True):
            waiting.result = result
