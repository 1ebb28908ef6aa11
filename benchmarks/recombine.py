"""A second benchmark corpus: articles recombined from real paragraphs of the bundled sample
articles (``corpus/``), so the extraction rules are timed on real prose, not only on templates.

Article ``i`` depends only on ``(seed, i)``. Paragraphs are drawn without replacement within an
article until it reaches ~5,000 characters; an article whose text equals an earlier one is
redrawn (identical texts would share a content-addressed graph).
"""
from __future__ import annotations

import random
import re
from functools import lru_cache
from pathlib import Path

from benchmarks.generator import TARGET_CHARS

REPO = Path(__file__).resolve().parent.parent
SAMPLE_DIR = REPO / "corpus"


@lru_cache(maxsize=4)
def paragraphs(sample_dir: str = str(SAMPLE_DIR)) -> tuple[str, ...]:
    """Every non-empty paragraph (blank-line separated, or line separated when a file has no
    blank lines) of the sample articles, in file order."""
    out: list[str] = []
    for path in sorted(Path(sample_dir).glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        sep = r"\n\s*\n" if re.search(r"\n\s*\n", text) else r"\n"
        out += [p.strip() for p in re.split(sep, text) if p.strip()]
    if not out:
        raise FileNotFoundError(f"{sample_dir}: no sample articles (*.txt) to recombine")
    return tuple(out)


def article(index: int, seed: int = 0, target_chars: int = TARGET_CHARS,
            sample_dir: str = str(SAMPLE_DIR)) -> str:
    """The text of recombined article ``index``."""
    pool = paragraphs(sample_dir)
    rng = random.Random(f"recombined:{seed}:{index}")
    order = list(range(len(pool)))
    rng.shuffle(order)
    parts, size = [], 0
    for i in order:
        if size >= target_chars:
            break
        parts.append(pool[i])
        size += len(pool[i]) + 2
    return "\n\n".join(parts) + "\n"


def write_corpus(out: str | Path, count: int, *, seed: int = 0, start: int = 0,
                 target_chars: int = TARGET_CHARS) -> list[Path]:
    """Write recombined articles ``start .. start+count-1`` as ``out/rec-<index>.txt``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    seen: set[str] = set()
    paths = []
    for i in range(start, start + count):
        text, attempt = article(i, seed, target_chars), 0
        while text in seen:  # vanishingly rare with ~80 paragraphs, but never silently share a graph
            attempt += 1
            text = article(i, seed + 1000003 * attempt, target_chars)
        seen.add(text)
        path = out / f"rec-{seed}-{i:07d}.txt"
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths
