"""Use cases of the registration desk, in plain Python.

The bot's handlers and the staff dashboard both call these functions; nothing here imports
`telegram` or `starlette`, and no citizen-facing sentence is written here (refusals and
messages carry codes and template keys; the wording lives in `bot.texts`). Each use case takes
the caller's `AsyncSession` and does not commit: the caller's `async with db.transaction()`
block is the unit of work.
"""
