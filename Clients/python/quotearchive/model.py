"""The protocol's structures as dataclasses (PROTOCOL.md §3 and §4).

Conventions, the same as ``Protocol/vectors/vectors.json``:

- ids are 32 lowercase hex digits (``str``); raw bytes are ``bytes``;
- dates are ``"YYYY"``, ``"YYYY-MM"`` or ``"YYYY-MM-DD"``, or ``None`` for no date;
- an absent ``source`` or ``lang`` is ``None`` (the empty string on the wire);
- enumerations are names: op ``kind`` is ``"put"`` or ``"delete"``, AddResult
  ``status`` is ``"added"``, ``"already_present"`` or ``"rejected"``.
"""

from __future__ import annotations

import datetime
import hashlib
import re
import time
from dataclasses import dataclass, field
from typing import Any, Dict, Iterable, List, Optional, Tuple, Union

from .errors import InvalidInputError, error_name

#: A date as a quote or filter takes it: text, a :class:`datetime.date`, or None.
DateLike = Union[str, datetime.date, None]

_DATE_TEXT = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def is_leap_year(year: int) -> bool:
    """Proleptic Gregorian: divisible by 4, and not by 100 unless by 400."""
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_month(year: int, month: int) -> int:
    """The number of days of ``month`` (1–12) in ``year``."""
    if month == 2 and is_leap_year(year):
        return 29
    return _DAYS_IN_MONTH[month - 1]


def date_parts_valid(year: int, month: int, day: int) -> bool:
    """Whether ``(year, month, day)`` is one of the valid date encodings of §3."""
    if year == 0 and month == 0 and day == 0:
        return True
    if not 1 <= year <= 9999:
        return False
    if month == 0:
        return day == 0
    if not 1 <= month <= 12:
        return False
    return day == 0 or 1 <= day <= days_in_month(year, month)


def parse_date(value: DateLike) -> Tuple[int, int, int]:
    """``(year, month, day)`` for a date given as text, :class:`datetime.date` or None.

    None and the empty string are "no date", ``(0, 0, 0)``. Raises
    :class:`InvalidInputError` (code ``invalid_date``) for anything else that is not
    ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` naming a date that exists.
    """
    if value is None:
        return (0, 0, 0)
    if isinstance(value, datetime.date):
        return (value.year, value.month, value.day)
    if not isinstance(value, str):
        raise InvalidInputError("a date must be text, a datetime.date or None, not %r" % (value,), 304)
    if value == "":
        return (0, 0, 0)
    match = _DATE_TEXT.match(value)
    if match is None:
        raise InvalidInputError("invalid date %r: expected YYYY, YYYY-MM or YYYY-MM-DD" % value, 304)
    year = int(match.group(1))
    month = int(match.group(2) or 0)
    day = int(match.group(3) or 0)
    if (match.group(2) is not None and month == 0) or (match.group(3) is not None and day == 0):
        raise InvalidInputError("invalid date %r: a month or day of 00" % value, 304)
    if year == 0 or not date_parts_valid(year, month, day):
        raise InvalidInputError("invalid date %r: no such date" % value, 304)
    return (year, month, day)


def format_date(year: int, month: int, day: int) -> Optional[str]:
    """The text form of a valid date encoding; None for no date."""
    if year == 0:
        return None
    if month == 0:
        return "%04d" % year
    if day == 0:
        return "%04d-%02d" % (year, month)
    return "%04d-%02d-%02d" % (year, month, day)


def normalize_date(value: DateLike) -> Optional[str]:
    """A date in its canonical text form (``datetime.date`` becomes ``YYYY-MM-DD``)."""
    return format_date(*parse_date(value))


def day_number(when: Union[datetime.date, datetime.datetime, float, None] = None) -> int:
    """Days since 1970-01-01 UTC, the ``day`` of RANDOM's quote of the day.

    ``when`` is a :class:`datetime.date`, an aware or UTC-naive :class:`datetime.datetime`,
    Unix seconds, or None for now. 2025-06-28 is 20267.
    """
    if when is None:
        when = time.time()
    if isinstance(when, datetime.datetime):
        if when.tzinfo is not None:
            when = when.astimezone(datetime.timezone.utc).replace(tzinfo=None)
        when = when.date()
    if isinstance(when, datetime.date):
        return (when - datetime.date(1970, 1, 1)).days
    return int(when // 86400)


def id_hex(value: Union[str, bytes]) -> str:
    """A 16-byte id as 32 lowercase hex digits; text is passed through as typed."""
    if isinstance(value, (bytes, bytearray)):
        if len(value) != 16:
            raise InvalidInputError("an id is 16 bytes, not %d" % len(value), 202)
        return bytes(value).hex()
    return value


def timestamp_datetime(timestamp: int) -> datetime.datetime:
    """The wall-clock time (UTC) of a hybrid timestamp: ``timestamp >> 16`` milliseconds."""
    epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
    return epoch + datetime.timedelta(milliseconds=timestamp >> 16)


@dataclass
class Quote:
    """A quote as typed by a client, or canonical as read back (§4, Quote)."""

    text: str
    speaker: str
    date: Optional[str] = None
    source: Optional[str] = None
    lang: Optional[str] = None
    tags: List[str] = field(default_factory=list)

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> "Quote":
        """A quote from a JSON-like mapping (a ``quotes export`` line works: extra keys are ignored)."""
        date = data.get("date")
        return cls(
            text=data["text"],
            speaker=data["speaker"],
            date=normalize_date(date) if date is not None else None,
            source=data.get("source") or None,
            lang=data.get("lang") or None,
            tags=list(data.get("tags") or []),
        )

    def to_dict(self) -> Dict[str, Any]:
        """The quote as a JSON-ready mapping, with the vectors' conventions."""
        return {
            "text": self.text,
            "speaker": self.speaker,
            "date": self.date,
            "source": self.source,
            "lang": self.lang,
            "tags": list(self.tags),
        }


@dataclass
class ArchivedQuote:
    """A stored quote as reads return it (§4, ArchivedQuote)."""

    id: str
    timestamp: int
    origin: int
    quote: Quote

    @property
    def added(self) -> datetime.datetime:
        """When the put that stored the quote was made (UTC)."""
        return timestamp_datetime(self.timestamp)

    @property
    def origin_hex(self) -> str:
        """The origin node id as 16 lowercase hex digits, as STATS ``node.id`` prints it."""
        return "%016x" % self.origin

    # Shortcuts to the quote's fields.
    @property
    def text(self) -> str:
        return self.quote.text

    @property
    def speaker(self) -> str:
        return self.quote.speaker

    @property
    def date(self) -> Optional[str]:
        return self.quote.date

    @property
    def source(self) -> Optional[str]:
        return self.quote.source

    @property
    def lang(self) -> Optional[str]:
        return self.quote.lang

    @property
    def tags(self) -> List[str]:
        return self.quote.tags

    @property
    def year(self) -> Optional[int]:
        """The year of the quote's date, or None when undated."""
        return int(self.quote.date[:4]) if self.quote.date else None

    def to_dict(self) -> Dict[str, Any]:
        """A JSON-ready mapping: ``id``, ``timestamp``, ``origin`` and ``quote``."""
        return {"id": self.id, "timestamp": self.timestamp, "origin": self.origin, "quote": self.quote.to_dict()}


ADDED = "added"
ALREADY_PRESENT = "already_present"
REJECTED = "rejected"
DIFFERS = "differs"
UPDATED = "updated"
#: AddResult statuses by wire value.
ADD_STATUSES = (ADDED, ALREADY_PRESENT, REJECTED, DIFFERS, UPDATED)

ZERO_ID = "0" * 32


@dataclass
class AddResult:
    """What became of one quote of an ADD (§4, AddResult)."""

    status: str
    id: str
    code: int = 0
    message: str = ""

    @property
    def added(self) -> bool:
        """True when the quote was stored by this request."""
        return self.status == ADDED

    @property
    def already_present(self) -> bool:
        """True when a live quote with the same id already existed."""
        return self.status == ALREADY_PRESENT

    @property
    def rejected(self) -> bool:
        """True when the quote was refused; ``code`` and ``message`` say why."""
        return self.status == REJECTED

    @property
    def differs(self) -> bool:
        """True when a quote with these words by this speaker is stored with other metadata
        (date, source, lang or tags) and nothing changed; add it with ``replace`` to update it."""
        return self.status == DIFFERS

    @property
    def updated(self) -> bool:
        """True when the stored quote's metadata was replaced by the one sent."""
        return self.status == UPDATED

    @property
    def ok(self) -> bool:
        """True when the archive now holds the quote as sent (added, updated or already present)."""
        return self.status in (ADDED, ALREADY_PRESENT, UPDATED)

    @property
    def name(self) -> Optional[str]:
        """The name of ``code`` for a rejected quote, else None."""
        return error_name(self.code) if self.code else None


PUT = "put"
DELETE = "delete"
#: Op kinds by wire value (1 put, 2 delete).
OP_KINDS = {1: PUT, 2: DELETE}


@dataclass
class Op:
    """One change to an archive (§4, Op): a put carries the canonical quote, a delete none."""

    kind: str
    timestamp: int
    origin: int
    id: str
    quote: Optional[Quote] = None


@dataclass
class SequencedOp:
    """An op and its position in the serving archive's log (§4, SequencedOp)."""

    sequence: int
    op: Op


@dataclass
class SearchFilter:
    """Search conditions, combined with AND; empty fields impose nothing (§4, SearchFilter).

    ``date_from`` and ``date_to`` are the wire fields ``from`` and ``to``.
    """

    speaker: str = ""
    date_from: Optional[str] = None
    date_to: Optional[str] = None
    words: str = ""
    tags: List[str] = field(default_factory=list)
    lang: str = ""

    @classmethod
    def make(
        cls,
        speaker: Optional[str] = None,
        date_from: DateLike = None,
        date_to: DateLike = None,
        words: Optional[str] = None,
        tags: Optional[Iterable[str]] = None,
        lang: Optional[str] = None,
    ) -> "SearchFilter":
        """A filter from friendly arguments: None means no condition, dates are checked."""
        if isinstance(tags, str):
            tags = [tags]
        return cls(
            speaker=speaker or "",
            date_from=normalize_date(date_from),
            date_to=normalize_date(date_to),
            words=words or "",
            tags=list(tags or []),
            lang=lang or "",
        )


@dataclass
class StatEntry:
    """One STATS counter: an ``int`` (kind 0) or ``str`` (kind 1) value."""

    name: str
    value: Union[int, str]


def digest_term(op: Op) -> int:
    """``SHA-256(id ‖ u8 kind ‖ u64 timestamp ‖ u64 origin)`` as a 256-bit integer (§6, DIGEST)."""
    kind = 1 if op.kind == PUT else 2
    data = bytes.fromhex(op.id) + bytes([kind]) + op.timestamp.to_bytes(8, "big") + op.origin.to_bytes(8, "big")
    return int.from_bytes(hashlib.sha256(data).digest(), "big")


def content_term(op: Op) -> int:
    """``SHA-256(id ‖ metadata)`` of a live quote as a 256-bit integer (§6, DIGEST): the
    metadata is the quote's encoding after its text and speaker (date, source, lang, tags)."""
    from .codec import encode_quote

    assert op.quote is not None
    encoding = encode_quote(op.quote)
    data = bytes.fromhex(op.id) + encoding[_identity_length(encoding):]
    return int.from_bytes(hashlib.sha256(data).digest(), "big")


def archive_digest(winning_ops: Iterable[Op]) -> Tuple[int, str, str]:
    """``(live_count, content digest hex, ops digest hex)`` of an archive given the winning
    op of every id it knows (puts carry their canonical quote)."""
    content = 0
    ops = 0
    live = 0
    for op in winning_ops:
        ops = (ops + digest_term(op)) % (1 << 256)
        if op.kind == PUT:
            live += 1
            content = (content + content_term(op)) % (1 << 256)
    return live, content.to_bytes(32, "big").hex(), ops.to_bytes(32, "big").hex()


def qotd_score(day: int, quote_id: str) -> int:
    """The quote-of-the-day score of an id: the first 8 bytes of ``SHA-256(u32 day ‖ id)``.

    The server picks the matching quote with the smallest ``(score, id)`` (§6, RANDOM).
    """
    digest = hashlib.sha256(day.to_bytes(4, "big") + bytes.fromhex(quote_id)).digest()
    return int.from_bytes(digest[:8], "big")


def _identity_length(encoding: bytes) -> int:
    """How many bytes the text and speaker fields (with their lengths) take at the start."""
    text = int.from_bytes(encoding[0:4], "big")
    speaker = int.from_bytes(encoding[4 + text:8 + text], "big")
    return 8 + text + speaker


def quote_id_of_encoding(encoding: bytes) -> str:
    """The id of a canonical quote given its encoding: the first 16 bytes of the SHA-256 of
    its leading text and speaker fields (``string text ‖ string speaker``); the metadata
    after them is not part of it."""
    return hashlib.sha256(encoding[:_identity_length(encoding)]).digest()[:16].hex()
