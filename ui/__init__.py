"""The chat UI: a Gradio app over ``rag.pipeline.Engine.ask`` (``rag serve`` or ``python -m ui``)."""

from __future__ import annotations


def serve(*args, **kwargs):  # noqa: ANN002, ANN003 - re-exported lazily so importing ui stays cheap
    """Start the chat UI; see :func:`ui.app.serve`."""
    from ui.app import serve as _serve

    return _serve(*args, **kwargs)


__all__ = ["serve"]
