"""Trợ lý An sinh: the Telegram assistant for social-welfare services in Đầm Hà."""
