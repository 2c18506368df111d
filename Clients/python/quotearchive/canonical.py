"""The canonical form of a quote and its id (STORAGE.md §4), computed locally.

The server canonicalizes every quote it is given; this module does the same so a script
can know a quote's id before adding it, or check a quote offline. It follows every rule
of STORAGE.md §4, but NFC and case mapping come from this Python's ``unicodedata``
(Unicode {version}); for characters assigned after that version the server may differ, so
when in doubt use the id the server returns.
"""

from __future__ import annotations

import re
import unicodedata
from typing import List, Optional

from .codec import encode_quote
from .errors import InvalidInputError
from .model import Quote, quote_id_of_encoding

__doc__ = (__doc__ or "").replace("{version}", unicodedata.unidata_version)

#: White_Space characters (STORAGE.md §4) — not U+001C–U+001F, U+200B or U+FEFF.
WHITESPACE = (
    "\u0009\u000a\u000b\u000c\u000d\u0020\u0085\u00a0\u1680"
    "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
_WHITESPACE_RUN = re.compile("[%s]+" % re.escape(WHITESPACE))
_LINE_BREAK = re.compile("\r\n|[\n\r\u2028\u2029]")
_CONTROL = re.compile("[\u0000-\u001f\u007f\u0080-\u009f]")
_CONTROL_BUT_LF = re.compile("[\u0000-\u0009\u000b-\u001f\u007f\u0080-\u009f]")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{1,8})*$")

MAX_TEXT_BYTES = 65536
MAX_SPEAKER_BYTES = 256
MAX_SOURCE_BYTES = 1024
MAX_LANG_BYTES = 35
MAX_TAGS = 32
MAX_TAG_BYTES = 64


def lowercase(text: str) -> str:
    """Full lowercase mapping character by character, without context (Σ → σ, never ς)."""
    return "".join(character.lower() for character in text)


def canonical_line(text: str) -> str:
    """NFC, every whitespace run (line breaks included) to one space, trimmed."""
    return _WHITESPACE_RUN.sub(" ", unicodedata.normalize("NFC", text)).strip(" ")


def canonical_text(text: str) -> str:
    """NFC; lines split at LF, CR LF, CR, U+2028, U+2029; each line's whitespace runs to one
    space and trimmed; empty lines dropped at both ends, kept inside; joined with LF."""
    lines = [_WHITESPACE_RUN.sub(" ", line).strip(" ")
             for line in _LINE_BREAK.split(unicodedata.normalize("NFC", text))]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def _utf8_length(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


def canonicalize(quote: Quote) -> Quote:
    """The canonical quote, or :class:`InvalidInputError` with the code the server would send."""
    text = canonical_text(quote.text)
    if not text:
        raise InvalidInputError("the text is empty", 300)
    if _utf8_length(text) > MAX_TEXT_BYTES:
        raise InvalidInputError("the text is over %d bytes" % MAX_TEXT_BYTES, 301)
    if _CONTROL_BUT_LF.search(text):
        raise InvalidInputError("the text holds a control character", 309)

    speaker = canonical_line(quote.speaker)
    if not speaker:
        raise InvalidInputError("the speaker is missing", 303)
    _check_field(speaker, "speaker", MAX_SPEAKER_BYTES)

    source: Optional[str] = canonical_line(quote.source or "") or None
    if source is not None:
        _check_field(source, "source", MAX_SOURCE_BYTES)

    lang: Optional[str] = canonical_line(lowercase(quote.lang or "")) or None
    if lang is not None and (_utf8_length(lang) > MAX_LANG_BYTES or not _LANGUAGE.match(lang)):
        raise InvalidInputError("%r is not a language tag such as fr, en or pt-br" % lang, 308)

    tags: List[str] = []
    for raw in quote.tags:
        tag = canonical_line(lowercase(raw))
        if not tag or _utf8_length(tag) > MAX_TAG_BYTES:
            raise InvalidInputError("tag %r is empty or over %d bytes" % (raw, MAX_TAG_BYTES), 307)
        if _CONTROL.search(tag):
            raise InvalidInputError("tag %r holds a control character" % raw, 309)
        if tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise InvalidInputError("%d distinct tags; at most %d" % (len(tags), MAX_TAGS), 306)
    tags.sort(key=lambda tag: tag.encode("utf-8"))

    return Quote(text, speaker, quote.date, source, lang, tags)


def _check_field(value: str, name: str, limit: int) -> None:
    if _utf8_length(value) > limit:
        raise InvalidInputError("the %s is over %d bytes" % (name, limit), 305)
    if _CONTROL.search(value):
        raise InvalidInputError("the %s holds a control character" % name, 309)


def quote_id(quote: Quote) -> str:
    """The id the server gives ``quote``: the first 16 bytes of SHA-256 of its canonical encoding."""
    return quote_id_of_encoding(encode_quote(canonicalize(quote)))
