"""Word folding as the server does it (PROTOCOL.md §4, Words), for scripts that want to
know which words a text is indexed under, or to match locally what a search would find.

The table is ``folding_table.json`` beside this file, the same file as the protocol's
``Protocol/folding/table.json`` (a test checks the copy): for each code point of
U+0080–U+07FF and U+1E00–U+1FFF, its folded form, ``""`` for a mark that vanishes, or
``null`` for a separator. ASCII letters are lowercased and digits kept; other ASCII and
U+2000–U+207F separate words; every other character is kept as it is. Text is
normalized to NFC first, as the server does with queries (stored quotes are NFC already).
"""

from __future__ import annotations

import json
import pathlib
import unicodedata
from typing import Dict, List, Optional, Tuple

_TABLE_PATH = pathlib.Path(__file__).with_name("folding_table.json")


def _load() -> Tuple[Dict[int, Optional[str]], List[Tuple[int, int]], str]:
    document = json.loads(_TABLE_PATH.read_text(encoding="utf-8"))
    folds = {int(key, 16): value for key, value in document["folds"].items()}
    ranges = [(int(low, 16), int(high, 16)) for low, high in document["ranges"]]
    return folds, ranges, document["unicode"]


_FOLDS, _RANGES, UNICODE_VERSION = _load()


def _in_table(code_point: int) -> bool:
    return any(low <= code_point <= high for low, high in _RANGES)


def fold_words(text: str) -> List[str]:
    """The folded words of ``text``, in order: ``fold_words("Straße, MAISON")`` is
    ``["strasse", "maison"]``."""
    words: List[str] = []
    current: List[str] = []

    def flush() -> None:
        if current:
            words.append("".join(current))
            current.clear()

    for character in unicodedata.normalize("NFC", text):
        code_point = ord(character)
        if code_point < 0x80:
            if "A" <= character <= "Z":
                current.append(character.lower())
            elif "a" <= character <= "z" or "0" <= character <= "9":
                current.append(character)
            else:
                flush()
        elif _in_table(code_point):
            folded = _FOLDS.get(code_point)
            if folded is None:
                flush()
            else:
                current.append(folded)
        elif 0x2000 <= code_point <= 0x207F:
            flush()
        else:
            current.append(character)
    flush()
    return words
