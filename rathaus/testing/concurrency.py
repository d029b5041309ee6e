"""Many attempts at the same moment, for race tests: real threads, each with its own database connection."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable

from django.db import connections


def run_at_once(*, threads: int, attempts_per_thread: int, attempt: Callable[[int], str]) -> Counter[str]:
    """Call `attempt(number)` for every number below threads × attempts_per_thread, on `threads` threads released
    together by a barrier, and count what the calls return. Each thread closes its database connections when it is
    done (the server's connection limit is shared with other test runs)."""
    barrier = threading.Barrier(threads)
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def run(thread: int) -> None:
        try:
            barrier.wait()
            for step in range(attempts_per_thread):
                outcome = attempt(thread * attempts_per_thread + step)
                with lock:
                    outcomes[outcome] += 1
        finally:
            connections.close_all()

    workers = [threading.Thread(target=run, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return outcomes
