"""roadmap-audit: find where a quarter's plan will turn into incidents, before the quarter starts."""

__version__ = "0.1.0"
