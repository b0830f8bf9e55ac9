"""Callback data: every button parses back, within Telegram's limit; anything else is refused."""

from __future__ import annotations

import re

import pytest

from bot.chat import callbacks as cb


@pytest.mark.parametrize("prefix", [cb.MENU, cb.ANSWER, cb.GO, cb.CONSENT, cb.PRIVACY, cb.HANDOFF])
def test_every_known_button_round_trips(prefix: str) -> None:
    for value in cb._SCHEMES[prefix].actions or ():
        data = cb.build(prefix, value)
        assert len(data.encode()) <= cb.MAX_BYTES
        assert cb.parse(data) == cb.Callback(prefix, value)
        assert cb.pattern(prefix).match(data)


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "ANS|drop_table",
        "ANS|",
        "ANS",
        "MENU|housing|extra",
        "REG|event|5",  # the flows' prefix: not ours to parse
        "GO|reg:../../etc",
        "PRIV|erase_yes" + "x" * 60,
    ],
)
def test_unknown_or_forged_data_is_refused(data: str | None) -> None:
    assert cb.parse(data) is None


def test_building_an_unknown_button_fails_loudly() -> None:
    with pytest.raises(ValueError, match="no button"):
        cb.build(cb.ANSWER, "not_an_intent")


def test_round_trip() -> None:
    data = cb.build(cb.MYREG, "cy", 42)
    assert data == "MYREG|cy|42"
    parsed = cb.parse(data, cb.MYREG)
    assert parsed == cb.Callback("MYREG", "cy", ("42",))
    assert parsed is not None and parsed.int_arg() == 42


def test_too_long_or_ambiguous_data_is_refused_when_built() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        cb.build(cb.ELIG, "allowance", "q" * 30, "v" * 30)
    with pytest.raises(ValueError, match="containing"):
        cb.build(cb.REG, "cm", "a|b")


@pytest.mark.parametrize(
    "data", [None, "", "REG", "REG|", "MYREG|cy|1", "reg|ok", "REG" + "|x" * 40]
)
def test_foreign_or_malformed_data_does_not_parse(data: str | None) -> None:
    assert cb.parse(data, cb.REG) is None


@pytest.mark.parametrize("raw", ["-1", "0", "1e3", "١٢", "9" * 17, "", " 1"])
def test_ids_must_be_plain_positive_numbers(raw: str) -> None:
    assert cb.Callback(cb.MYREG, "cy", (raw,)).int_arg() is None


def test_pattern_matches_only_its_prefix() -> None:
    assert re.match(cb.pattern(cb.REG), "REG|ok")
    assert not re.match(cb.pattern(cb.REG), "REGX|ok")
    assert not re.match(cb.pattern(cb.REM), "REG|ok")
