"""Staff dashboard: server-rendered pages for officers (Starlette + Jinja2, no JS framework).

`create_dashboard_app(db=…, settings=…, try_bot=…)` returns an ASGI app that the web app
mounts at /staff. Routes call bot.services only; wording is in bot.texts.dashboard.
"""

from bot.dashboard.app import create_dashboard_app

__all__ = ["create_dashboard_app"]
