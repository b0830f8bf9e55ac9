"""Deterministic, diacritics-insensitive entity extraction for Đầm Hà's closed vocabularies.

Communes, beneficiary groups and trades are short closed lists that change with policy, not
with data, so matching curated lookup tables beats a learned tagger here: it needs no
training examples per variant, cannot hallucinate a commune, and (unlike
`CRFEntityExtractor`) loads instantly. Matching runs on the folded text (`nlu.textnorm.fold`,
length preserving), so "Quảng Lâm", "quang lam" and "QUẢNG LÂM" are all found with spans in
the citizen's own text. Values are canonical: the synonym target when the lookup entry is a
variant. Phone numbers come from `nlu.phone` and are returned in +84 form.

Sources of phrases, read at training time from the NLU data:
- lookup tables named after an entity (`- lookup: commune`),
- synonyms whose target is one of that entity's lookup values, and annotated examples, both
  only when at least two words long (single words such as "may" are too ambiguous: folded,
  it also matches "máy"; a single word must be listed in a lookup table on purpose).
"""

from __future__ import annotations

import re
from typing import Any

import rasa.shared.utils.io
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.extractors.extractor import EntityExtractorMixin
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.facts import find_facts, normalise
from nlu.phone import find_phones
from nlu.textnorm import canonical_text, fold, nfc

PHRASES_FILE = "phrases.json"


def _key(phrase: str) -> str:
    """How a phrase is compared: folded words separated by single spaces."""
    return " ".join(fold(phrase).split())


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=True)
class VietnameseEntityExtractor(GraphComponent, EntityExtractorMixin):
    """Lookup- and regex-based extractor that ignores case and diacritics."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Entities taken from lookup tables; phone extraction; prefixes that veto a match."""
        return {
            "lookup_entities": ["commune", "target_group", "trade"],
            "phone_entity": "phone",
            # Facts of the story read by the rules of `nlu.facts`; a learned extractor earlier
            # in the pipeline (CRFEntityExtractor) may add spans the rules miss, which are
            # normalised by the same rules or dropped.
            "fact_entities": ["age", "relation", "disability_level", "pension"],
            # Folded words that, right before a match, show it is part of a name, not an
            # entity: "huyện Đầm Hà" is the district, not the commune "Đầm Hà"; "giấy xác
            # nhận khuyết tật" is a document; "Hội Phụ nữ" and "Phòng Lao động - Thương binh
            # và Xã hội" are organisations.
            "excluded_prefixes": {
                "commune": ["huyen"],
                "target_group": ["xac nhan", "muc do", "lao dong", "hoi", "doan"],
            },
        }

    def __init__(
        self,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        phrases: dict[str, tuple[str, str]] | None = None,
    ) -> None:
        self._config = {**self.get_default_config(), **config}
        self._model_storage = model_storage
        self._resource = resource
        self.phrases: dict[str, tuple[str, str]] = dict(phrases or {})
        self._pattern = _compile(self.phrases)

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> VietnameseEntityExtractor:
        """Creates an untrained extractor."""
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        """Collect phrase -> (entity, canonical value) from lookups, synonyms and examples."""
        self.phrases = collect_phrases(
            training_data, entities=list(self._config["lookup_entities"])
        )
        if not self.phrases:
            rasa.shared.utils.io.raise_warning(
                f"{type(self).__name__}: no lookup tables for "
                f"{self._config['lookup_entities']}; only phone numbers will be found."
            )
        self._pattern = _compile(self.phrases)
        with self._model_storage.write_to(self._resource) as directory:
            rasa.shared.utils.io.dump_obj_as_json_to_file(
                directory / PHRASES_FILE, {k: list(v) for k, v in self.phrases.items()}
            )
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> VietnameseEntityExtractor:
        """Load the phrase table written by `train`."""
        try:
            with model_storage.read_from(resource) as directory:
                raw = rasa.shared.utils.io.read_json_file(directory / PHRASES_FILE)
        except (ValueError, FileNotFoundError):
            raw = {}
        phrases = {k: (v[0], v[1]) for k, v in raw.items()}
        return cls(config, model_storage, resource, phrases)

    def process(self, messages: list[Message]) -> list[Message]:
        """Replace the message's entities by canonical ones: rules first, learned as fallback.

        Entities of a learned extractor earlier in the pipeline are kept only for fact
        entities, only where the rules found nothing of that type at that place, and only with
        a value the rules can normalise: lookups and rules stay authoritative, and every value
        leaving the server is canonical ("bà nội em" → "bà", "75t" → "75").
        """
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str):
                continue
            found = self.add_extractor_name(self.extract(text))
            learned = self._learned_facts(message.get(ENTITIES, []), found)
            entities = sorted(found + learned, key=lambda e: e[ENTITY_ATTRIBUTE_START])
            message.set(ENTITIES, entities, add_to_output=True)
        return messages

    def _learned_facts(
        self, previous: list[dict[str, Any]], found: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        fact_entities = set(self._config.get("fact_entities") or [])
        kept: list[dict[str, Any]] = []
        for entity in previous:
            kind = entity.get(ENTITY_ATTRIBUTE_TYPE)
            if kind not in fact_entities:
                continue
            start, end = entity[ENTITY_ATTRIBUTE_START], entity[ENTITY_ATTRIBUTE_END]
            if any(
                f[ENTITY_ATTRIBUTE_TYPE] == kind
                and start < f[ENTITY_ATTRIBUTE_END]
                and f[ENTITY_ATTRIBUTE_START] < end
                for f in found + kept
            ):
                continue
            value = normalise(str(kind), str(entity.get(ENTITY_ATTRIBUTE_VALUE, "")))
            if value is None:
                continue
            kept.append({**entity, ENTITY_ATTRIBUTE_VALUE: value})
        return kept

    def extract(self, text: str) -> list[dict[str, Any]]:
        """Entities in `text` (NFC), longest phrase first, no overlaps."""
        text = nfc(text)
        folded = fold(text)
        entities: list[dict[str, Any]] = []
        taken: list[tuple[int, int]] = []
        if self._config.get("phone_entity"):
            for start, end, value in find_phones(text):
                entities.append(_entity(self._config["phone_entity"], start, end, value))
                taken.append((start, end))
        for fact in find_facts(text):
            if fact.entity in (self._config.get("fact_entities") or []):
                entities.append(_entity(fact.entity, fact.start, fact.end, fact.value))
        if self._pattern is not None:
            for match in self._pattern.finditer(folded):
                start, end = match.span()
                entity, value = self.phrases[" ".join(match.group().split())]
                if self._vetoed(entity, folded[:start]) or _overlaps(start, end, taken):
                    continue
                entities.append(_entity(entity, start, end, value))
                taken.append((start, end))
        entities.sort(key=lambda e: e[ENTITY_ATTRIBUTE_START])
        return entities

    def _vetoed(self, entity: str, folded_before: str) -> bool:
        words = re.findall(r"\w+", folded_before)
        for prefix in self._config.get("excluded_prefixes", {}).get(entity, []):
            wanted = prefix.split()
            if words[-len(wanted) :] == wanted:
                return True
        return False


def collect_phrases(
    training_data: TrainingData, *, entities: list[str]
) -> dict[str, tuple[str, str]]:
    """Folded phrase -> (entity, canonical value) from the NLU training data."""
    synonyms = {_key(variant): target for variant, target in training_data.entity_synonyms.items()}
    targets_by_key = {_key(target): target for target in synonyms.values()}
    phrases: dict[str, tuple[str, str]] = {}

    def add(phrase: str, entity: str, value: str | None = None) -> None:
        key = _key(phrase)
        if not key or key in phrases:
            return
        canonical = value or synonyms.get(key) or targets_by_key.get(key) or phrase
        phrases[key] = (entity, canonical)

    for table in training_data.lookup_tables:
        entity = table.get("name")
        if entity not in entities or not isinstance(table.get("elements"), list):
            continue
        elements = [nfc(str(e)).strip() for e in table["elements"]]
        canonical_values = {
            synonyms.get(_key(e)) or targets_by_key.get(_key(e)) or e for e in elements
        }
        for element in sorted(elements, key=_accent_count, reverse=True):
            add(element, entity)
        for variant_key, target in synonyms.items():
            if target in canonical_values and _multi_word(variant_key):
                add(variant_key, entity, target)
    for example in training_data.entity_examples:
        text = example.get(TEXT) or ""
        for annotation in example.get(ENTITIES, []):
            entity = annotation.get(ENTITY_ATTRIBUTE_TYPE)
            span = text[annotation[ENTITY_ATTRIBUTE_START] : annotation[ENTITY_ATTRIBUTE_END]]
            if entity in entities and _multi_word(span):
                add(span, entity, str(annotation.get(ENTITY_ATTRIBUTE_VALUE) or span))
    return phrases


def _multi_word(phrase: str) -> bool:
    """Synonyms and annotations become phrases only with two words or more.

    Rasa turns every annotation like `[may]{"value": "may công nghiệp"}` into a synonym;
    folded, "may" also matches "máy" (machine). Single words must be listed on purpose in
    a lookup table.
    """
    return len(canonical_text(phrase).split()) >= 2


def _accent_count(text: str) -> int:
    """Prefer the accented spelling of a value as canonical when both are listed."""
    return sum(1 for a, b in zip(nfc(text), fold(text), strict=True) if a.lower() != b)


def _compile(phrases: dict[str, tuple[str, str]]) -> re.Pattern[str] | None:
    if not phrases:
        return None
    alternatives = sorted(phrases, key=len, reverse=True)
    body = "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in alternatives)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)")


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return any(start < t_end and t_start < end for t_start, t_end in taken)


def _entity(entity: str, start: int, end: int, value: str) -> dict[str, Any]:
    return {
        ENTITY_ATTRIBUTE_TYPE: entity,
        ENTITY_ATTRIBUTE_START: start,
        ENTITY_ATTRIBUTE_END: end,
        ENTITY_ATTRIBUTE_VALUE: value,
        "confidence_entity": 1.0,
    }
