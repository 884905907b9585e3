"""talks-rag: citation-first question answering over news reporting on the 2025 Pakistan–Afghanistan talks."""

from __future__ import annotations

__version__ = "0.1.0"

from rag.pipeline import ask  # noqa: E402
from rag.types import Answer, Citation, Hit  # noqa: E402

__all__ = ["Answer", "Citation", "Hit", "__version__", "ask"]
