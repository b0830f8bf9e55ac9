"""Thin Telegram callbacks, one module per thing a citizen (or an officer) does.

    start      /start, /menu, consent (`ask_consent` is also called by bot.flows)
    menu       the menu buttons, stale buttons, unknown commands, non-text messages
    answers    free text: NLU → knowledge base answer, "Ý bạn là…?", hand-over to the flows
    handoff    /canbo, the ticket, the staff chat and the officer's Telegram reply
    privacy    /riengtu and "Xóa dữ liệu của tôi"
    errors     the one error handler
    flows_bridge   bot.flows (registration, eligibility, my registrations) by its contract

`answering`, `views` and `preview` do not import `telegram`: they decide and compose (text +
buttons as services.outbox.RenderedMessage), so the dashboard's "try the bot" page runs the
same pipeline (`preview.Preview`). The order in which handlers are registered is in
bot.application.
"""
