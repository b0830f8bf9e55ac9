"""The registration form: a declarative table of steps, its Telegram side and its buttons.

steps     the table: one row per field (question, keyboard, parser, re-ask, prefill, shown)
parsing   reading typed names, phones, birth years, communes (pure)
form      the answers as a pure state machine: what is asked next, pre-filling
entry     entry points (`start_registration`), the event list, asking a step, the summary
typed     typed answers and a shared contact (the phone)
buttons   the form's buttons (REG|…): event, commune, target groups, summary, confirm
"""
