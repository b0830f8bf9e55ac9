"""The registration form: a declarative table of steps, its Telegram side and its buttons.

form      the form as a pure state machine: fields, parsing, pre-filling (no Telegram)
entry     entry points (`start_registration`), the event list, asking a step, the summary
buttons   the form's buttons (REG|…): event, commune, target groups, summary, confirm
"""
