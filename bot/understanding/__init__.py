"""Understanding citizens' messages: NLU first, calibrated by topic; keywords when it is down.

`understand(text, client, previous_intent=...)` and the `Understanding` type are the public
interface used by the chat; see `bot.understanding.core` for how a message is read.
"""

from bot.understanding.core import Source, Understanding, understand
from bot.understanding.keywords import FALLBACK_KEYWORDS, keyword_intent

__all__ = ["FALLBACK_KEYWORDS", "Source", "Understanding", "keyword_intent", "understand"]
