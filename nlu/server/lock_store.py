"""A lock store that lets Rasa run several Sanic workers for `/model/parse`.

Rasa refuses more than one worker with its default in-memory lock store, because conversation
trackers must not be edited by two processes at once; it insists on Redis. This project uses
Rasa only as a stateless NLU parser (no dialogue, no trackers), so per-process locks are
correct, and two workers on two cores halve the queueing delay at concurrency 8
(bench/nlu_latency.py). Configured in nlu/endpoints.yml; the worker count comes from the
SANIC_WORKERS environment variable (setting NLU_WORKERS).
"""

from __future__ import annotations

from typing import Any

from rasa.core.lock_store import InMemoryLockStore


class ParseOnlyLockStore(InMemoryLockStore):
    """Per-process locks: safe because the NLU server keeps no conversation state."""

    def __init__(self, endpoint_config: Any = None, **_: Any) -> None:
        # Rasa builds custom lock stores with their endpoint config; there is nothing in it.
        super().__init__()
