"""Tell a real answer from a weak model's echo of its prompt or of the prompt's markup."""

import re

SHINGLE = 4  # words per shingle: a copied phrase, not a shared word
COPIED = 0.6  # this share of an answer's shingles found in the prompt makes it an echo
MARKUP = re.compile(r"</?untrusted-data>|<(?:start|end)_of_turn>|<\|im_(?:start|end)\|>")
NUMBERING = re.compile(r"\(\d+\)|^\s*\d+[.)]\s", re.M)  # "(1) … or (2) …": list numbers


def is_non_answer(text: str, prompts: list[str]) -> bool:
    """Return True if the text is empty, carries prompt markup, or is mostly the prompt copied.

    Our delimiters and chat-template tokens never belong in an answer to a person: a text
    that carries them is the prompt coming back, whatever else it says.
    """
    if MARKUP.search(text or ""):
        return True
    words = _words(NUMBERING.sub(" ", text or ""))
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
