"""kopi's data: SQLAlchemy tables and the domain operations on them (no Telegram here)."""

from models import community, journal
from models.base import Base

__all__ = ["Base", "community", "journal"]
