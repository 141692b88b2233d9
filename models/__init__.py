"""kopi's data: SQLAlchemy tables and the domain operations on them (no Telegram here).

Every table module is imported here so that Base.metadata knows the whole schema.
"""

from models import (
    agreements,
    capture,
    community,
    journal,
    meetings,
    prompts,
    reflections,
    reports,
)
from models.base import Base

__all__ = [
    "Base",
    "agreements",
    "capture",
    "community",
    "journal",
    "meetings",
    "prompts",
    "reflections",
    "reports",
]
