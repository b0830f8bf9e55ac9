"""The outbox: everything the system sends on its own, from queueing to Telegram.

A use case queues a row (`queue`) in its own transaction; the `scheduler` wakes the
`dispatcher`, which claims due rows from the `store` under a lease, paces them with
`rate_limit` and hands them to a `MessageSender` (`port`); `telegram_sender` is the adapter
to python-telegram-bot. Delivery is at least once; see `dispatcher` for the guarantee.
This room knows nothing of the chat face or the dashboard: the wording of each message comes
from a `Renderer` the composition root passes in.
"""
