"""Storage: SQLAlchemy tables, Alembic migrations, plan repository (see db.py, plans.py)."""
