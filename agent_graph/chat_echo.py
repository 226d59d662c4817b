"""Tell a real answer from a weak model's echo of its prompt."""

import re

SHINGLE = 4  # words per shingle: a copied phrase, not a shared word
COPIED = 0.6  # this share of an answer's shingles found in the prompt makes it an echo
MARKUP = re.compile(r"</?untrusted-data>")


def is_non_answer(text: str, prompts: list[str]) -> bool:
    """Return True if the text is empty or mostly copied from the prompts it was given."""
    words = _words(text)
    if not words:
        return True
    source = _words(MARKUP.sub(" ", "\n".join(prompts)))
    if len(words) < SHINGLE:
        return " ".join(words) in " ".join(source)
    seen = _shingles(source)
    mine = _shingles(words)
    return sum(s in seen for s in mine) / len(mine) >= COPIED


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", (text or "").lower())


def _shingles(words: list[str]) -> list[tuple[str, ...]]:
    return [tuple(words[i:i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)]
