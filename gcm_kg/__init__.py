"""gcm-kg: the linked-data knowledge graph of the Global Compact for Migration."""

__version__ = "0.1.0"
