"""Storage: typed SQLAlchemy models, the async engine and the Alembic migrations.

Services import the models from here; nothing outside `bot.db` builds engines or URLs by hand,
so SQLite-versus-PostgreSQL differences (drivers, pragmas, locking) stay in one package.
"""
