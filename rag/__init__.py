"""talks-rag: citation-first question answering over news reporting on the 2025 Pakistan–Afghanistan talks."""

from __future__ import annotations

__version__ = "0.1.0"
