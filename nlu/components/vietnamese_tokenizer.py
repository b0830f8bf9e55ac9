"""A whitespace tokenizer that makes Vietnamese chat spelling look like clean Vietnamese.

Stock Rasa pipelines treat "đăng ký", "dang ky", "đăng kí" and "đk" as four unrelated
words, and an NFD-encoded "đăng ký" as a fifth. This tokenizer

1. normalises the message text to NFC (so NFD and NFC input give identical predictions),
2. splits on whitespace like `WhitespaceTokenizer`,
3. gives each token a *lemma* that is case-folded, without diacritics, with stretched letters
   squeezed and chat abbreviations expanded (`nlu.textnorm.canonical_words`).

Featurizers configured with `use_lemma: true` (the CountVectorsFeaturizer default) then see
the canonical words. Token text and offsets are untouched, so entity spans still point into
the citizen's own text. An abbreviation that stands for several words ("đk" = "đăng ký")
becomes several tokens sharing the abbreviation's span.
"""

from __future__ import annotations

from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.textnorm import canonical_words, fold, nfc


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class VietnameseTokenizer(WhitespaceTokenizer):
    """NFC-normalising whitespace tokenizer with diacritics-free, de-abbreviated lemmas."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """WhitespaceTokenizer's options plus `canonical_lemmas` (switch for experiments)."""
        return {**WhitespaceTokenizer.get_default_config(), "canonical_lemmas": True}

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Normalise every training text to NFC, then tokenize as usual."""
        for example in training_data.training_examples:
            _normalise_text(example)
        return super().process_training_data(training_data)

    def process(self, messages: list[Message]) -> list[Message]:
        """Normalise incoming texts to NFC, then tokenize as usual."""
        for message in messages:
            _normalise_text(message)
        return super().process(messages)

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        """Whitespace tokens whose lemmas are canonical folded words."""
        tokens = super().tokenize(message, attribute)
        if not self._config.get("canonical_lemmas", True):
            return tokens
        canonical: list[Token] = []
        for token in tokens:
            words = canonical_words(token.text) or (fold(token.text),)
            for word in words:
                canonical.append(
                    Token(token.text, token.start, token.end, data=dict(token.data), lemma=word)
                )
        return canonical


def _normalise_text(message: Message) -> None:
    text = message.get(TEXT)
    if isinstance(text, str):
        normalised = nfc(text)
        if normalised != text:
            message.set(TEXT, normalised)
