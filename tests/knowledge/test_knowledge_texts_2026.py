"""Citizen texts owned with the knowledge: consent and privacy rest on the 2026 law."""

from __future__ import annotations

from bot.texts import consent, privacy


def test_consent_names_the_personal_data_law_of_2025() -> None:
    text = consent.consent_request(45)
    assert "Luật Bảo vệ dữ liệu cá nhân 91/2025/QH15" in text
    assert "Nghị định 356/2025/NĐ-CP" in text
    assert "13/2023" not in text


def test_privacy_names_the_same_law() -> None:
    assert "91/2025/QH15" in privacy.NOTHING_STORED and "13/2023" not in privacy.NOTHING_STORED


def test_an_agreement_to_the_old_text_is_no_longer_current() -> None:
    assert consent.consent_is_current(consent.CONSENT_VERSION)
    for old in consent.SUPERSEDED_VERSIONS:
        assert old != consent.CONSENT_VERSION
        assert not consent.consent_is_current(old)
    assert not consent.consent_is_current(None)
    assert len(consent.CONSENT_VERSION) <= 40  # Citizen.consent_text_version is String(40)


def test_the_first_screen_summary_names_the_same_law() -> None:
    text = consent.consent_summary(45)
    assert "91/2025/QH15" in text and "13/2023" not in text
