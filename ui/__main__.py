"""``python -m ui [--host HOST] [--port PORT]``: start the chat UI."""

from __future__ import annotations

import argparse
import os
import sys


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m ui", description="Serve the talks-rag chat UI.")
    p.add_argument("--host", default=os.environ.get("RAG_HOST", "127.0.0.1"),
                   help="interface to bind (default 127.0.0.1, this machine only)")
    p.add_argument("--port", type=int, default=int(os.environ.get("RAG_PORT", "7860")))
    p.add_argument("--concurrency", type=int, help="questions answered at once (default 2)")
    p.add_argument("--max-queue", type=int, help="questions allowed to wait (default 64)")
    args = p.parse_args(argv)

    from rag.index import IndexError_
    from rag.pipeline import QuestionError
    from rag.settings import Settings
    from rag.sources import CorpusError
    from ui.app import serve

    try:
        serve(host=args.host, port=args.port, settings=Settings.from_env(), concurrency=args.concurrency,
              max_queue=args.max_queue)
    except (CorpusError, IndexError_, QuestionError, ValueError, OSError) as exc:
        print(f"ui: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
