"""Redis-backed state: the lowest layer, imported by everything, importing nothing of ours but settings."""
