"""Evaluation, benchmark and scale runs (shells over the rag library)."""
