"""Shared fixtures: a small temporary corpus with the fake embedder, and the real engine."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rag.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_b618c8a8dae0761b.txt"

ARTICLE_A = """Talks resume in Istanbul after border clashes.
Published On 3 Nov 20253 Nov 2025
Share
Delegations from Pakistan and Afghanistan met again in Istanbul on Monday. The talks focused on a monitoring mechanism.
Mediators from Qatar and Turkiye attended the meeting.
Recommended Stories
list of 3 itemsend of list
Officials said the next round would be held in December.
"""

ARTICLE_B = """# Trade at the Torkham crossing

Traders said the Torkham crossing stayed closed for a third week. Trucks carrying fruit waited on both sides.
The chamber of commerce estimated daily losses at one million dollars.
"""


@pytest.fixture
def tiny_root(tmp_path: Path) -> Path:
    """A repo-like folder with two small seed files."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    (seeds / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    (seeds / "b.md").write_text(ARTICLE_B, encoding="utf-8")
    return tmp_path


@pytest.fixture
def tiny_settings(tiny_root: Path) -> Settings:
    return Settings(root=tiny_root, embedder="hash-64", chunk_tokens=40, chunk_overlap=10)


@pytest.fixture
def corpus_root(tmp_path: Path) -> Path:
    """A copy of the shipped corpus in a temporary folder."""
    (tmp_path / "seeds").mkdir()
    shutil.copy(SEED, tmp_path / "seeds" / SEED.name)
    return tmp_path


@pytest.fixture(scope="session")
def engine():
    """The real engine over the committed index (real embedding model)."""
    from rag.pipeline import Engine

    return Engine(Settings(root=ROOT))
