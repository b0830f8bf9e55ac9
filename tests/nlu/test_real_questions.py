"""Real citizen questions: sources kept, split by site, training and test never share."""

from __future__ import annotations

from collections import Counter

import yaml

from bot.nlu_tools import real_data
from bot.nlu_tools.nlu_yaml import load_many
from bot.understanding.sentences import split_sentences
from bot.understanding.topics import TOPIC_OF
from nlu.facts import DISABILITY_LEVELS, FACT_ENTITIES, PENSION_VALUES
from nlu.textnorm import canonical_text

QUESTIONS, TEST_SITES = real_data.load_sources()
TRAIN, TEST = real_data.split(QUESTIONS, TEST_SITES)
DOMAIN = yaml.safe_load((real_data.PROJECT_ROOT / "nlu" / "domain.yml").read_text())


def test_every_question_has_its_page_and_a_contract_label() -> None:
    for q in QUESTIONS:
        assert q.url.startswith(("http://", "https://")) and q.title, q.text[:60]
        assert q.intent in DOMAIN["intents"], q.intent
        assert q.also is None or q.also in DOMAIN["intents"]
        assert set(q.facts) <= set(FACT_ENTITIES), q.facts
        if "pension" in q.facts:
            assert q.facts["pension"] in PENSION_VALUES
        if "disability_level" in q.facts:
            assert q.facts["disability_level"] in DISABILITY_LEVELS
        if "age" in q.facts:
            assert q.facts["age"].isdigit()


def test_training_and_test_come_from_different_sites_and_pages() -> None:
    assert {q.site for q in TRAIN}.isdisjoint({q.site for q in TEST})
    assert {q.url for q in TRAIN}.isdisjoint({q.url for q in TEST})
    assert len(TEST) >= 30 and len(TRAIN) >= 30


def test_no_sentence_of_a_test_question_is_in_the_training_data() -> None:
    training_text = " ".join(
        canonical_text(e.text) for e in load_many([real_data.PROJECT_ROOT / "nlu" / "data"])
    )
    for q in real_data.load_test():
        assert canonical_text(q.text) not in training_text
        for sentence in split_sentences(q.text):
            words = canonical_text(sentence)
            if len(words.split()) >= 8:
                assert words not in training_text, sentence


def test_generated_files_are_up_to_date() -> None:
    training, test = real_data.generate()
    assert real_data.TRAINING_FILE.read_text(encoding="utf-8") == training
    assert real_data.TEST_FILE.read_text(encoding="utf-8") == test


def test_test_set_spans_the_topics_and_the_neighbours() -> None:
    topics = Counter(TOPIC_OF[q.intent] for q in real_data.load_test())
    assert {"allowance", "housing", "other"} <= set(topics), topics
    assert topics["other"] >= 4  # out-of-scope neighbours must be measured too


def test_site_is_the_registrable_domain() -> None:
    assert real_data.site_of("https://m.plo.vn/ban-doc/x.html") == "plo.vn"
    assert real_data.site_of("https://news.laodong.vn/a") == "laodong.vn"
    assert real_data.site_of("https://chinhsachonline.chinhphu.vn/a") == "chinhphu.vn"
    assert real_data.site_of("https://luatminhgia.com.vn/a") == "luatminhgia.com.vn"


def test_a_page_title_is_never_scored_as_a_citizens_question() -> None:
    headlines = [q for q in QUESTIONS if q.headline]
    assert headlines  # the sources mark them
    assert not [q for q in TEST if q.headline]
    scored = {q.text for q in real_data.load_test()}
    assert not scored & {q.text for q in headlines if q.site in TEST_SITES}
