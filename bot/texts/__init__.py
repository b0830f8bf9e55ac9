"""Every Vietnamese sentence the bot shows, kept apart from the code that decides when.

Handlers and flows import wording from here and never write a citizen-facing sentence inline,
so one person can review (and a test can check) all the text: full diacritics, NFC, short
sentences, HTML Telegram accepts, and every user-supplied value escaped with `esc`.

    common        greeting, menus, intent labels, "Ý bạn là…?", apologies, command list
    consent       the Decree 13/2023 consent message and its version
    handoff       talking to an officer: citizen side, staff-chat side, the officer's answer
    privacy       /riengtu and "Xóa dữ liệu của tôi"
    registration, eligibility, notifications    the forms' and checks' texts (bot.chat)
"""
