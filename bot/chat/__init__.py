"""The ONE Telegram face of the bot: one module per thing a citizen (or an officer) does.

Wiring and plumbing
    context         typed `bot_data` (BotData through PTB's ContextTypes), private_user_id
    memory          short-lived memory of a conversation (context.user_data, typed)
    replies         send / edit / acknowledge / stale, with the one harmless-error policy
    callbacks       the one callback-data scheme: PREFIX|action|arg…, pattern by prefix
    keyboards       every keyboard: Button rows → Telegram inline keyboards
    screens         menus, answers, consent and privacy screens (text + buttons, no Telegram)
    errors          the one error handler
What people do
    start           /start, /menu, the answer to the consent question (and what resumes)
    consent         asking for consent in the middle of something that stores data
    menu            menu buttons, stale buttons, unknown commands, non-text messages
    answering       the rule: answer, "Ý bạn là…?", offer an officer, or the menu (pure)
    answers         free text and answer buttons: NLU → knowledge-base answer or a feature
    preview         the same answering without Telegram (dashboard's "try the bot"), counts
    handoff         /canbo, the ticket, the staff chat and the officer's Telegram reply
    privacy         /riengtu and "Xóa dữ liệu của tôi"
    open_flow       typed text to the open form or check first; /huy leaves it
    flow_state      where a citizen is in a form or check (database, survives restarts)
    nudge           typed text where buttons are expected: point to them once
    eligibility     the quick eligibility checks (questions are knowledge YAML)
    registration/   the registration form: a declarative table of steps, entry, buttons
    my_registrations  "Đăng ký của tôi", cancelling, the reminder buttons
    desk            the chat's units of work on the registration desk (no Telegram)
    notifications   the one outbox renderer: every queued message's wording and buttons

The order in which handlers are registered is in bot.application (the composition root).
"""
