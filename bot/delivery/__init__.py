"""Adapters from the services' sending port to real transports (python-telegram-bot)."""
