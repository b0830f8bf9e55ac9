"""Asking for consent in the middle of something that stores data (a registration, an officer).

Consent comes before any personal data is stored (Decree 13/2023). This module only asks and
remembers what to do once the person agrees (`AfterConsent`); the answer to the question is
handled with /start in bot.chat.start, which then resumes. Kept apart from start so that the
features that ask (registration, handoff) and the module that resumes them do not import
each other.
"""

from __future__ import annotations

from telegram import Update

from bot.chat import replies, screens
from bot.chat.context import ChatContext, retention_days, settings
from bot.chat.memory import AfterConsent, Memory
from bot.texts import consent as consent_texts


async def ask_consent(
    update: Update,
    context: ChatContext,
    *,
    why: str | None = consent_texts.WHY_REGISTRATION,
    after: AfterConsent | None = None,
) -> None:
    """The person is asked to agree before something that stores data."""
    if after is not None:
        Memory(context).set_after_consent(after)
    view = screens.consent_request(why, retention_days=retention_days(settings(context)))
    await replies.send_view(update, view)
