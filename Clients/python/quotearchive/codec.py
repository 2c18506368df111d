"""Encoding and decoding of frames, structures and every message of PROTOCOL.md.

No sockets here: bytes in, dataclasses out, and back. :func:`encode_frame` /
:func:`decode_frame` handle whole frames; :func:`encode_message` /
:func:`decode_message` handle payloads by opcode. Decoders check every declared length
against its wire bound (§8) and against the bytes left **before** slicing, reject
trailing bytes, invalid UTF-8 and invalid dates, and raise :class:`DecodeError`.
Encoders refuse (with :class:`InvalidInputError`) what the server would find malformed.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Optional, Tuple, Type, Union

from .errors import DecodeError, InvalidInputError, error_name
from .model import (
    ADD_STATUSES,
    OP_KINDS,
    PUT,
    AddResult,
    ArchivedQuote,
    Op,
    Quote,
    SearchFilter,
    SequencedOp,
    StatEntry,
    date_parts_valid,
    format_date,
    parse_date,
)

MAGIC = b"QTAR"
PROTOCOL_VERSION = 2

# Opcodes (§2). A response is its request's opcode | 0x80; ERROR answers any request.
HELLO = 0x01
PING = 0x02
ADD = 0x03
GET = 0x04
DELETE = 0x05
SEARCH = 0x06
RANDOM = 0x07
STATS = 0x08
CHANGES = 0x09
DIGEST = 0x0A
APPLY = 0x0B
AUTH = 0x0C
EDIT = 0x0D
DIGEST_RANGE = 0x0E
SPEAKERS = 0x0F
COUNT = 0x10
RESPONSE_BIT = 0x80
HELLO_OK = HELLO | RESPONSE_BIT
PING_OK = PING | RESPONSE_BIT
ADD_OK = ADD | RESPONSE_BIT
GET_OK = GET | RESPONSE_BIT
DELETE_OK = DELETE | RESPONSE_BIT
SEARCH_OK = SEARCH | RESPONSE_BIT
RANDOM_OK = RANDOM | RESPONSE_BIT
STATS_OK = STATS | RESPONSE_BIT
CHANGES_OK = CHANGES | RESPONSE_BIT
DIGEST_OK = DIGEST | RESPONSE_BIT
APPLY_OK = APPLY | RESPONSE_BIT
AUTH_OK = AUTH | RESPONSE_BIT
EDIT_OK = EDIT | RESPONSE_BIT
DIGEST_RANGE_OK = DIGEST_RANGE | RESPONSE_BIT
SPEAKERS_OK = SPEAKERS | RESPONSE_BIT
COUNT_OK = COUNT | RESPONSE_BIT
ERROR = 0xFF

OPCODE_NAMES: Dict[int, str] = {
    HELLO: "HELLO", PING: "PING", ADD: "ADD", GET: "GET", DELETE: "DELETE", SEARCH: "SEARCH",
    RANDOM: "RANDOM", STATS: "STATS", CHANGES: "CHANGES", DIGEST: "DIGEST", APPLY: "APPLY", AUTH: "AUTH",
    EDIT: "EDIT", EDIT_OK: "EDIT_OK", DIGEST_RANGE: "DIGEST_RANGE", DIGEST_RANGE_OK: "DIGEST_RANGE_OK",
    SPEAKERS: "SPEAKERS", SPEAKERS_OK: "SPEAKERS_OK", COUNT: "COUNT", COUNT_OK: "COUNT_OK",
    HELLO_OK: "HELLO_OK", PING_OK: "PING_OK", ADD_OK: "ADD_OK", GET_OK: "GET_OK",
    DELETE_OK: "DELETE_OK", SEARCH_OK: "SEARCH_OK", RANDOM_OK: "RANDOM_OK", STATS_OK: "STATS_OK",
    CHANGES_OK: "CHANGES_OK", DIGEST_OK: "DIGEST_OK", APPLY_OK: "APPLY_OK", AUTH_OK: "AUTH_OK", ERROR: "ERROR",
}

# Frame limits (§2).
FRAME_HEADER_BYTES = 9  # u32 length ‖ u8 opcode ‖ u32 request_id
MIN_FRAME_LENGTH = 5
DEFAULT_MAX_FRAME_BYTES = 1048576
#: The longest response frame a server sends (it drops a connection rather than buffer more).
MAX_RESPONSE_FRAME_BYTES = 16777216

# Wire bounds (§8): over them a payload is malformed.
MAX_QUOTE_TEXT = 262144
MAX_QUOTE_SPEAKER = 1024
MAX_QUOTE_SOURCE = 4096
MAX_QUOTE_LANG = 140
MAX_QUOTE_TAGS = 128
MAX_QUOTE_TAG = 256
MAX_NAME = 256
MAX_AUTHENTICATION = 1024
#: AUTH's token_name, client_nonce and proof, AUTH_OK's server_proof.
MAX_AUTH_FIELD = 64
MAX_ID_TEXT = 64
MAX_FILTER_SPEAKER = 1024
MAX_FILTER_WORDS = 4096
MAX_FILTER_TAGS = 32
MAX_FILTER_TAG = 256
MAX_FILTER_LANG = 64
MAX_CURSOR = 256
MAX_ADD_MESSAGE = 4096
MAX_STAT_ENTRIES = 65536
MAX_STAT_NAME = 256
MAX_STAT_TEXT = 4096
MAX_ERROR_MESSAGE = 65536
#: Quotes per ADD; more is ``batch_too_large`` (not malformed).
MAX_ADD_BATCH = 10000
#: The largest SEARCH page; more is ``invalid_query`` (not malformed).
MAX_SEARCH_LIMIT = 1000
#: DIGEST_RANGE's prefix: at most a whole id.
MAX_DIGEST_RANGE_PREFIX = 16
#: DIGEST_RANGE_OK's listed entries.
MAX_DIGEST_RANGE_ENTRIES = 256
#: SPEAKERS's query; its limit and SPEAKERS_OK's list are MAX_SEARCH_LIMIT, names MAX_QUOTE_SPEAKER.
MAX_SPEAKERS_QUERY = MAX_FILTER_SPEAKER
MAX_SPEAKERS_LIMIT = MAX_SEARCH_LIMIT
MAX_SPEAKERS_LISTED = MAX_SEARCH_LIMIT
MAX_SPEAKER_NAME = MAX_QUOTE_SPEAKER
#: DIGEST_RANGE_OK's form 0 holds one part per value of the next id byte.
DIGEST_RANGE_PARTS = 256

# Smallest encodings, for "count × smallest element" checks before allocating.
MIN_QUOTE_BYTES = 24
MIN_ARCHIVED_QUOTE_BYTES = 16 + 8 + 8 + MIN_QUOTE_BYTES
MIN_ADD_RESULT_BYTES = 1 + 16 + 2 + 4
MIN_OP_BYTES = 33
MIN_SEQUENCED_OP_BYTES = 8 + MIN_OP_BYTES
MIN_STAT_ENTRY_BYTES = 4 + 1 + 4  # empty name, text kind, empty text
UNBOUNDED = 0xFFFFFFFF


# --------------------------------------------------------------------------- reading


class Reader:
    """Reads primitive encodings (§3) from a payload, checking every length first."""

    __slots__ = ("_data", "_offset")

    def __init__(self, data: bytes) -> None:
        self._data = bytes(data)
        self._offset = 0

    @property
    def remaining(self) -> int:
        return len(self._data) - self._offset

    def _take(self, count: int, what: str) -> bytes:
        if count > self.remaining:
            raise DecodeError("%s: needs %d bytes, %d left" % (what, count, self.remaining))
        start = self._offset
        self._offset += count
        return self._data[start:self._offset]

    def u8(self, what: str = "u8") -> int:
        return self._take(1, what)[0]

    def u16(self, what: str = "u16") -> int:
        return int(struct.unpack(">H", self._take(2, what))[0])

    def u32(self, what: str = "u32") -> int:
        return int(struct.unpack(">I", self._take(4, what))[0])

    def u64(self, what: str = "u64") -> int:
        return int(struct.unpack(">Q", self._take(8, what))[0])

    def bool(self, what: str = "bool") -> bool:
        value = self.u8(what)
        if value > 1:
            raise DecodeError("%s: bool must be 0 or 1, not %d" % (what, value))
        return value == 1

    def raw(self, count: int, what: str) -> bytes:
        return self._take(count, what)

    def bytes(self, bound: int, what: str) -> bytes:
        length = self.u32(what)
        if length > bound:
            raise DecodeError("%s: %d bytes is over the bound of %d" % (what, length, bound))
        return self._take(length, what)

    def string(self, bound: int, what: str) -> str:
        data = self.bytes(bound, what)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise DecodeError("%s: invalid UTF-8 (%s)" % (what, error)) from None

    def count(self, bound: int, smallest: int, what: str) -> int:
        """A list count, checked against its bound and the bytes left × the smallest element."""
        count = self.u32(what)
        if count > bound:
            raise DecodeError("%s: %d elements is over the bound of %d" % (what, count, bound))
        if count * smallest > self.remaining:
            raise DecodeError("%s: %d elements cannot fit in %d bytes" % (what, count, self.remaining))
        return count

    def id(self, what: str = "id") -> str:
        return self._take(16, what).hex()

    def date(self, what: str = "date") -> Optional[str]:
        year = self.u16(what)
        month = self.u8(what)
        day = self.u8(what)
        if not date_parts_valid(year, month, day):
            raise DecodeError("%s: %04d-%02d-%02d is not a valid date encoding" % (what, year, month, day))
        return format_date(year, month, day)

    def finish(self, what: str) -> None:
        if self.remaining:
            raise DecodeError("%s: %d bytes left over" % (what, self.remaining))


# --------------------------------------------------------------------------- writing


class Writer:
    """Builds a payload from primitive encodings (§3), refusing values over their bounds."""

    __slots__ = ("_parts",)

    def __init__(self) -> None:
        self._parts: List[bytes] = []

    def getvalue(self) -> bytes:
        return b"".join(self._parts)

    def u8(self, value: int) -> "Writer":
        self._parts.append(_pack(">B", value, "u8"))
        return self

    def u16(self, value: int) -> "Writer":
        self._parts.append(_pack(">H", value, "u16"))
        return self

    def u32(self, value: int) -> "Writer":
        self._parts.append(_pack(">I", value, "u32"))
        return self

    def u64(self, value: int) -> "Writer":
        self._parts.append(_pack(">Q", value, "u64"))
        return self

    def bool(self, value: bool) -> "Writer":
        return self.u8(1 if value else 0)

    def raw(self, data: bytes) -> "Writer":
        self._parts.append(bytes(data))
        return self

    def bytes(self, data: bytes, bound: int = UNBOUNDED, what: str = "bytes", code: Optional[int] = None) -> "Writer":
        if len(data) > bound:
            raise InvalidInputError("%s: %d bytes is over the wire bound of %d" % (what, len(data), bound), code)
        self.u32(len(data))
        self._parts.append(bytes(data))
        return self

    def string(self, text: Optional[str], bound: int = UNBOUNDED, what: str = "string", code: Optional[int] = None) -> "Writer":
        if text is None:
            text = ""
        if not isinstance(text, str):
            raise InvalidInputError("%s must be text, not %s" % (what, type(text).__name__), code)
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError as error:
            raise InvalidInputError("%s is not valid Unicode: %s" % (what, error), code) from None
        return self.bytes(data, bound, what, code)

    def count(self, count: int, bound: int = UNBOUNDED, what: str = "list", code: Optional[int] = None) -> "Writer":
        if count > bound:
            raise InvalidInputError("%s: %d elements is over the wire bound of %d" % (what, count, bound), code)
        return self.u32(count)

    def id(self, quote_id: str) -> "Writer":
        try:
            data = bytes.fromhex(quote_id)
        except (ValueError, TypeError):
            data = b""
        if len(data) != 16:
            raise InvalidInputError("id %r is not 32 hex digits" % (quote_id,), 202)
        self._parts.append(data)
        return self

    def date(self, value: Union[str, None]) -> "Writer":
        year, month, day = parse_date(value)
        self._parts.append(struct.pack(">HBB", year, month, day))
        return self


def _pack(fmt: str, value: int, what: str) -> bytes:
    try:
        return struct.pack(fmt, value)
    except struct.error:
        raise InvalidInputError("%r does not fit in a %s" % (value, what)) from None


# --------------------------------------------------------------------------- structures


def write_quote(writer: Writer, quote: Quote) -> None:
    """Appends a Quote (§4), checking the wire bounds of §8."""
    writer.string(quote.text, MAX_QUOTE_TEXT, "quote text", 301)
    writer.string(quote.speaker, MAX_QUOTE_SPEAKER, "quote speaker", 305)
    writer.date(quote.date)
    writer.string(quote.source, MAX_QUOTE_SOURCE, "quote source", 305)
    writer.string(quote.lang, MAX_QUOTE_LANG, "quote lang", 308)
    tags = list(quote.tags)
    writer.count(len(tags), MAX_QUOTE_TAGS, "quote tags", 306)
    for tag in tags:
        writer.string(tag, MAX_QUOTE_TAG, "quote tag", 307)


def read_quote(reader: Reader) -> Quote:
    text = reader.string(MAX_QUOTE_TEXT, "quote text")
    speaker = reader.string(MAX_QUOTE_SPEAKER, "quote speaker")
    date = reader.date("quote date")
    source = reader.string(MAX_QUOTE_SOURCE, "quote source")
    lang = reader.string(MAX_QUOTE_LANG, "quote lang")
    tags = [reader.string(MAX_QUOTE_TAG, "quote tag") for _ in range(reader.count(MAX_QUOTE_TAGS, 4, "quote tags"))]
    return Quote(text, speaker, date, source or None, lang or None, tags)


def encode_quote(quote: Quote) -> bytes:
    """The Quote encoding alone (what a put carries and what a quote id hashes)."""
    writer = Writer()
    write_quote(writer, quote)
    return writer.getvalue()


def decode_quote(data: bytes) -> Quote:
    """A Quote from exactly ``data``."""
    reader = Reader(data)
    quote = read_quote(reader)
    reader.finish("quote")
    return quote


def write_archived_quote(writer: Writer, archived: ArchivedQuote) -> None:
    writer.id(archived.id).u64(archived.timestamp).u64(archived.origin)
    write_quote(writer, archived.quote)


def read_archived_quote(reader: Reader) -> ArchivedQuote:
    quote_id = reader.id()
    timestamp = reader.u64("timestamp")
    origin = reader.u64("origin")
    return ArchivedQuote(quote_id, timestamp, origin, read_quote(reader))


def write_op(writer: Writer, op: Op) -> None:
    kinds = {name: value for value, name in OP_KINDS.items()}
    if op.kind not in kinds:
        raise InvalidInputError("op kind %r is not put or delete" % (op.kind,))
    writer.u8(kinds[op.kind]).u64(op.timestamp).u64(op.origin).id(op.id)
    if op.kind == PUT:
        if op.quote is None:
            raise InvalidInputError("a put op must carry a quote")
        write_quote(writer, op.quote)


def read_op(reader: Reader) -> Op:
    kind_value = reader.u8("op kind")
    kind = OP_KINDS.get(kind_value)
    if kind is None:
        raise DecodeError("op kind %d is not 1 (put) or 2 (delete)" % kind_value)
    timestamp = reader.u64("op timestamp")
    origin = reader.u64("op origin")
    quote_id = reader.id("op id")
    quote = read_quote(reader) if kind == PUT else None
    return Op(kind, timestamp, origin, quote_id, quote)


def encode_op(op: Op) -> bytes:
    writer = Writer()
    write_op(writer, op)
    return writer.getvalue()


def write_search_filter(writer: Writer, search: SearchFilter) -> None:
    writer.string(search.speaker, MAX_FILTER_SPEAKER, "filter speaker")
    writer.date(search.date_from)
    writer.date(search.date_to)
    writer.string(search.words, MAX_FILTER_WORDS, "filter words")
    writer.count(len(search.tags), MAX_FILTER_TAGS, "filter tags")
    for tag in search.tags:
        writer.string(tag, MAX_FILTER_TAG, "filter tag")
    writer.string(search.lang, MAX_FILTER_LANG, "filter lang")


def read_search_filter(reader: Reader) -> SearchFilter:
    speaker = reader.string(MAX_FILTER_SPEAKER, "filter speaker")
    date_from = reader.date("filter from")
    date_to = reader.date("filter to")
    words = reader.string(MAX_FILTER_WORDS, "filter words")
    tags = [reader.string(MAX_FILTER_TAG, "filter tag") for _ in range(reader.count(MAX_FILTER_TAGS, 4, "filter tags"))]
    lang = reader.string(MAX_FILTER_LANG, "filter lang")
    return SearchFilter(speaker, date_from, date_to, words, tags, lang)


# --------------------------------------------------------------------------- messages


@dataclass
class Hello:
    client_name: str = "quotearchive-python/0.1"
    min_version: int = PROTOCOL_VERSION
    max_version: int = PROTOCOL_VERSION
    authentication: bytes = b""
    OPCODE = HELLO


@dataclass
class HelloOk:
    version: int
    node_id: int
    server_name: str
    max_frame_bytes: int
    flags: int = 0
    server_nonce: bytes = b""
    OPCODE = HELLO_OK

    @property
    def read_only(self) -> bool:
        """Flag bit 1: ADD and DELETE will be refused with ``read_only``."""
        return bool(self.flags & 0x01)

    @property
    def authentication_required(self) -> bool:
        """Flag bit 2 (never set in version 1)."""
        return bool(self.flags & 0x02)

    @property
    def node_id_hex(self) -> str:
        return "%016x" % self.node_id


@dataclass
class Ping:
    data: bytes = b""
    OPCODE = PING


@dataclass
class PingOk:
    data: bytes = b""
    OPCODE = PING_OK


#: ADD's flag bit: update quotes stored with other metadata (``updated``) instead of
#: leaving them (``differs``).
ADD_REPLACE = 0x01


@dataclass
class Add:
    quotes: List[Quote] = field(default_factory=list)
    replace: bool = False
    OPCODE = ADD


@dataclass
class EncodedAdd:
    """An ADD whose quotes are already encoded (:func:`encode_quote`), to encode each once."""

    encoded: List[bytes] = field(default_factory=list)
    replace: bool = False
    OPCODE = ADD


@dataclass
class Edit:
    """Replace the live quote ``id`` (an id or unique prefix) by ``quote`` in one durable batch."""

    id: str
    quote: Quote
    OPCODE = EDIT


@dataclass
class EditOk:
    """What became of the new quote, and the id it replaced."""

    result: AddResult
    previous: str
    OPCODE = EDIT_OK


@dataclass
class AddOk:
    results: List[AddResult] = field(default_factory=list)
    OPCODE = ADD_OK


@dataclass
class Get:
    id: str
    OPCODE = GET


@dataclass
class GetOk:
    quote: ArchivedQuote
    OPCODE = GET_OK


@dataclass
class Delete:
    id: str
    OPCODE = DELETE


@dataclass
class DeleteOk:
    id: str
    OPCODE = DELETE_OK


@dataclass
class Search:
    filter: SearchFilter = field(default_factory=SearchFilter)
    limit: int = 100
    cursor: bytes = b""
    OPCODE = SEARCH


@dataclass
class SearchOk:
    quotes: List[ArchivedQuote] = field(default_factory=list)
    cursor: bytes = b""
    OPCODE = SEARCH_OK

    @property
    def has_more(self) -> bool:
        """True when another page follows: the cursor is empty only on the last page."""
        return bool(self.cursor)


@dataclass
class Random:
    filter: SearchFilter = field(default_factory=SearchFilter)
    day: int = 0
    OPCODE = RANDOM


@dataclass
class RandomOk:
    quote: ArchivedQuote
    OPCODE = RANDOM_OK


@dataclass
class Stats:
    OPCODE = STATS


@dataclass
class StatsOk:
    entries: List[StatEntry] = field(default_factory=list)
    OPCODE = STATS_OK


@dataclass
class Changes:
    since: int = 0
    max_ops: int = 1000
    follow: bool = False
    OPCODE = CHANGES


@dataclass
class ChangesOk:
    ops: List[SequencedOp] = field(default_factory=list)
    last_sequence: int = 0
    OPCODE = CHANGES_OK

    @property
    def caught_up(self) -> bool:
        """True when the page is empty or its last op is the archive's last (§6, CHANGES)."""
        return not self.ops or self.ops[-1].sequence == self.last_sequence


@dataclass
class Digest:
    OPCODE = DIGEST


@dataclass
class DigestOk:
    """``digest``: over live quotes and their metadata; ``ops_digest``: over winning ops."""

    live_count: int
    digest: str
    ops_digest: str
    OPCODE = DIGEST_OK


@dataclass
class DigestRange:
    """DIGEST_RANGE: the ids that start with ``prefix`` (0 to 16 bytes)."""

    prefix: bytes = b""
    OPCODE = DIGEST_RANGE


@dataclass
class DigestRangePart:
    """One sub-range of a split DIGEST_RANGE_OK: live quotes and content digest (hex)."""

    live_count: int
    digest: str


@dataclass
class DigestRangeEntry:
    """One live quote of a listed DIGEST_RANGE_OK: its id and content term (hex)."""

    id: str
    term: str


@dataclass
class DigestRangeOk:
    """The range's ``live_count`` and ``digest``, then either its 256 ``parts`` (form 0,
    split) or its ``entries`` (form 1, listed); the other is None."""

    live_count: int
    digest: str
    parts: Optional[List[DigestRangePart]] = None
    entries: Optional[List[DigestRangeEntry]] = None
    OPCODE = DIGEST_RANGE_OK

    @property
    def listed(self) -> bool:
        return self.entries is not None


@dataclass
class Count:
    """COUNT: how many live quotes match ``filter``."""

    filter: SearchFilter = field(default_factory=SearchFilter)
    OPCODE = COUNT


@dataclass
class CountOk:
    count: int
    OPCODE = COUNT_OK


@dataclass
class Speakers:
    """SPEAKERS: names with every word of ``query`` (the last a prefix when it ends in ``*``)."""

    query: str = ""
    limit: int = 20
    OPCODE = SPEAKERS


@dataclass
class SpeakerCount:
    name: str
    quotes: int


@dataclass
class SpeakersOk:
    """How many speakers ``matching``, and the first ``limit`` of them, most quotes first."""

    matching: int
    speakers: List[SpeakerCount] = field(default_factory=list)
    OPCODE = SPEAKERS_OK


@dataclass
class Apply:
    ops: List[Op] = field(default_factory=list)
    OPCODE = APPLY


@dataclass
class ApplyOk:
    appended: int
    OPCODE = APPLY_OK


@dataclass
class Auth:
    """AUTH: the token's name, the client's nonce, and its HMAC proof (PROTOCOL.md §5)."""

    token_name: str
    client_nonce: bytes
    proof: bytes
    OPCODE = AUTH


@dataclass
class AuthOk:
    role: int
    server_proof: bytes
    OPCODE = AUTH_OK


@dataclass
class Error:
    code: int
    message: str = ""
    OPCODE = ERROR

    @property
    def name(self) -> str:
        return error_name(self.code)


Message = Union[
    Hello, HelloOk, Ping, PingOk, Add, EncodedAdd, AddOk, Get, GetOk, Delete, DeleteOk, Search, SearchOk,
    Random, RandomOk, Stats, StatsOk, Changes, ChangesOk, Digest, DigestOk, Apply, ApplyOk, Auth, AuthOk, Error,
    Edit, EditOk, DigestRange, DigestRangeOk, Speakers, SpeakersOk, Count, CountOk,
]


def _encode_hello(w: Writer, m: Hello) -> None:
    w.raw(MAGIC).u16(m.min_version).u16(m.max_version)
    w.string(m.client_name, MAX_NAME, "client_name").bytes(m.authentication, MAX_AUTHENTICATION, "authentication")


def _decode_hello(r: Reader) -> Hello:
    _magic(r)
    low, high = r.u16("min_version"), r.u16("max_version")
    name = r.string(MAX_NAME, "client_name")
    return Hello(name, low, high, r.bytes(MAX_AUTHENTICATION, "authentication"))


def _magic(r: Reader) -> None:
    magic = r.raw(4, "magic")
    if magic != MAGIC:
        raise DecodeError("magic is %r, not %r" % (magic, MAGIC))


def _encode_hello_ok(w: Writer, m: HelloOk) -> None:
    w.raw(MAGIC).u16(m.version).u64(m.node_id).string(m.server_name, MAX_NAME, "server_name")
    w.u32(m.max_frame_bytes).u8(m.flags).bytes(m.server_nonce, MAX_AUTHENTICATION, "server_nonce")


def _decode_hello_ok(r: Reader) -> HelloOk:
    _magic(r)
    version = r.u16("version")
    node_id = r.u64("node_id")
    name = r.string(MAX_NAME, "server_name")
    max_frame = r.u32("max_frame_bytes")
    flags = r.u8("flags")
    return HelloOk(version, node_id, name, max_frame, flags, r.bytes(MAX_AUTHENTICATION, "server_nonce"))


def _encode_add(w: Writer, m: Add) -> None:
    w.u8(ADD_REPLACE if m.replace else 0).count(len(m.quotes))
    for quote in m.quotes:
        write_quote(w, quote)


def _encode_encoded_add(w: Writer, m: EncodedAdd) -> None:
    w.u8(ADD_REPLACE if m.replace else 0).count(len(m.encoded))
    for data in m.encoded:
        w.raw(data)


def _decode_add(r: Reader) -> Add:
    flags = r.u8("add flags")
    if flags & ~ADD_REPLACE:
        raise DecodeError("ADD flags 0x%02x set bits other than replace (0x01)" % flags)
    # More than MAX_ADD_BATCH is batch_too_large, not malformed: only the bytes bound the count.
    quotes = [read_quote(r) for _ in range(r.count(UNBOUNDED, MIN_QUOTE_BYTES, "quotes"))]
    return Add(quotes, bool(flags & ADD_REPLACE))


def _write_add_result(w: Writer, result: AddResult) -> None:
    if result.status not in ADD_STATUSES:
        raise InvalidInputError("AddResult status %r is not one of %s" % (result.status, ADD_STATUSES))
    w.u8(ADD_STATUSES.index(result.status)).id(result.id).u16(result.code)
    w.string(result.message, MAX_ADD_MESSAGE, "AddResult message")


def _read_add_result(r: Reader) -> AddResult:
    status = r.u8("AddResult status")
    if status >= len(ADD_STATUSES):
        raise DecodeError("AddResult status %d is not 0 to %d" % (status, len(ADD_STATUSES) - 1))
    quote_id = r.id()
    code = r.u16("AddResult code")
    return AddResult(ADD_STATUSES[status], quote_id, code, r.string(MAX_ADD_MESSAGE, "AddResult message"))


def _encode_add_ok(w: Writer, m: AddOk) -> None:
    w.count(len(m.results))
    for result in m.results:
        _write_add_result(w, result)


def _decode_add_ok(r: Reader) -> AddOk:
    return AddOk([_read_add_result(r) for _ in range(r.count(UNBOUNDED, MIN_ADD_RESULT_BYTES, "results"))])


def _encode_edit(w: Writer, m: Edit) -> None:
    w.string(m.id, MAX_ID_TEXT, "id", 202)
    write_quote(w, m.quote)


def _decode_edit(r: Reader) -> Edit:
    quote_id = r.string(MAX_ID_TEXT, "id")
    return Edit(quote_id, read_quote(r))


def _encode_edit_ok(w: Writer, m: EditOk) -> None:
    _write_add_result(w, m.result)
    w.id(m.previous)


def _decode_edit_ok(r: Reader) -> EditOk:
    result = _read_add_result(r)
    return EditOk(result, r.id())


def _encode_search(w: Writer, m: Search) -> None:
    write_search_filter(w, m.filter)
    w.u32(m.limit).bytes(m.cursor, MAX_CURSOR, "cursor")


def _decode_search(r: Reader) -> Search:
    search = read_search_filter(r)
    limit = r.u32("limit")
    return Search(search, limit, r.bytes(MAX_CURSOR, "cursor"))


def _encode_search_ok(w: Writer, m: SearchOk) -> None:
    w.count(len(m.quotes))
    for archived in m.quotes:
        write_archived_quote(w, archived)
    w.bytes(m.cursor, MAX_CURSOR, "cursor")


def _decode_search_ok(r: Reader) -> SearchOk:
    quotes = [read_archived_quote(r) for _ in range(r.count(UNBOUNDED, MIN_ARCHIVED_QUOTE_BYTES, "quotes"))]
    return SearchOk(quotes, r.bytes(MAX_CURSOR, "cursor"))


def _encode_random(w: Writer, m: Random) -> None:
    write_search_filter(w, m.filter)
    w.u32(m.day)


def _decode_random(r: Reader) -> Random:
    search = read_search_filter(r)
    return Random(search, r.u32("day"))


def _encode_stats_ok(w: Writer, m: StatsOk) -> None:
    w.count(len(m.entries), MAX_STAT_ENTRIES, "entries")
    for entry in m.entries:
        w.string(entry.name, MAX_STAT_NAME, "stat name")
        if isinstance(entry.value, int) and not isinstance(entry.value, bool):
            w.u8(0).u64(entry.value)
        elif isinstance(entry.value, str):
            w.u8(1).string(entry.value, MAX_STAT_TEXT, "stat value")
        else:
            raise InvalidInputError("stat %s: value must be int or str" % entry.name)


def _decode_stats_ok(r: Reader) -> StatsOk:
    entries = []
    for _ in range(r.count(MAX_STAT_ENTRIES, MIN_STAT_ENTRY_BYTES, "entries")):
        name = r.string(MAX_STAT_NAME, "stat name")
        kind = r.u8("stat kind")
        if kind == 0:
            value: Union[int, str] = r.u64("stat value")
        elif kind == 1:
            value = r.string(MAX_STAT_TEXT, "stat value")
        else:
            raise DecodeError("stat %s: kind %d is not 0 or 1" % (name, kind))
        entries.append(StatEntry(name, value))
    return StatsOk(entries)


def _encode_changes_ok(w: Writer, m: ChangesOk) -> None:
    w.count(len(m.ops))
    for sequenced in m.ops:
        w.u64(sequenced.sequence)
        write_op(w, sequenced.op)
    w.u64(m.last_sequence)


def _decode_changes_ok(r: Reader) -> ChangesOk:
    ops = []
    for _ in range(r.count(UNBOUNDED, MIN_SEQUENCED_OP_BYTES, "ops")):
        sequence = r.u64("sequence")
        ops.append(SequencedOp(sequence, read_op(r)))
    return ChangesOk(ops, r.u64("last_sequence"))


def _encode_apply(w: Writer, m: Apply) -> None:
    w.count(len(m.ops))
    for op in m.ops:
        write_op(w, op)


def _decode_apply(r: Reader) -> Apply:
    return Apply([read_op(r) for _ in range(r.count(UNBOUNDED, MIN_OP_BYTES, "ops"))])


def _encode_digest_ok(w: Writer, m: DigestOk) -> None:
    w.u64(m.live_count)
    for text in (m.digest, m.ops_digest):
        try:
            digest = bytes.fromhex(text)
        except ValueError:
            digest = b""
        if len(digest) != 32:
            raise InvalidInputError("a digest is 32 bytes (64 hex digits)")
        w.raw(digest)


def _digest_bytes(text: str, what: str) -> bytes:
    try:
        digest = bytes.fromhex(text)
    except ValueError:
        digest = b""
    if len(digest) != 32:
        raise InvalidInputError("%s is 32 bytes (64 hex digits)" % what)
    return digest


def _encode_digest_range_ok(w: Writer, m: DigestRangeOk) -> None:
    if (m.parts is None) == (m.entries is None):
        raise InvalidInputError("a DIGEST_RANGE_OK has either parts (split) or entries (listed)")
    w.u64(m.live_count).raw(_digest_bytes(m.digest, "a digest"))
    if m.parts is not None:
        if len(m.parts) != DIGEST_RANGE_PARTS:
            raise InvalidInputError("a split DIGEST_RANGE_OK has %d parts" % DIGEST_RANGE_PARTS)
        w.u8(0)
        for part in m.parts:
            w.u64(part.live_count).raw(_digest_bytes(part.digest, "a part's digest"))
    else:
        assert m.entries is not None
        w.u8(1).count(len(m.entries), MAX_DIGEST_RANGE_ENTRIES, "entries")
        for entry in m.entries:
            w.id(entry.id).raw(_digest_bytes(entry.term, "a term"))


def _decode_digest_range_ok(r: Reader) -> DigestRangeOk:
    live_count = r.u64("live_count")
    digest = r.raw(32, "digest").hex()
    form = r.u8("form")
    if form == 0:
        parts = [DigestRangePart(r.u64("live_count"), r.raw(32, "digest").hex()) for _ in range(DIGEST_RANGE_PARTS)]
        return DigestRangeOk(live_count, digest, parts=parts)
    if form == 1:
        count = r.count(MAX_DIGEST_RANGE_ENTRIES, 16 + 32, "entries")
        entries = [DigestRangeEntry(r.id(), r.raw(32, "term").hex()) for _ in range(count)]
        return DigestRangeOk(live_count, digest, entries=entries)
    raise DecodeError("digest range form %d is not 0 (split) or 1 (listed)" % form)


def _encode_speakers_ok(w: Writer, m: SpeakersOk) -> None:
    w.u32(m.matching).count(len(m.speakers), MAX_SPEAKERS_LISTED, "speakers")
    for speaker in m.speakers:
        w.string(speaker.name, MAX_SPEAKER_NAME, "name").u32(speaker.quotes)


def _decode_speakers_ok(r: Reader) -> SpeakersOk:
    matching = r.u32("matching")
    count = r.count(MAX_SPEAKERS_LISTED, 8, "speakers")
    return SpeakersOk(matching, [SpeakerCount(r.string(MAX_SPEAKER_NAME, "name"), r.u32("quotes")) for _ in range(count)])


#: How each message type writes its payload (return values are ignored).
_ENCODERS: Dict[type, Callable[[Writer, Any], object]] = {
    Hello: _encode_hello,
    HelloOk: _encode_hello_ok,
    Ping: lambda w, m: w.bytes(m.data, what="data"),
    PingOk: lambda w, m: w.bytes(m.data, what="data"),
    Add: _encode_add,
    EncodedAdd: _encode_encoded_add,
    AddOk: _encode_add_ok,
    Get: lambda w, m: w.string(m.id, MAX_ID_TEXT, "id", 202),
    GetOk: lambda w, m: write_archived_quote(w, m.quote),
    Delete: lambda w, m: w.string(m.id, MAX_ID_TEXT, "id", 202),
    DeleteOk: lambda w, m: w.id(m.id),
    Search: _encode_search,
    SearchOk: _encode_search_ok,
    Random: _encode_random,
    RandomOk: lambda w, m: write_archived_quote(w, m.quote),
    Stats: lambda w, m: None,
    StatsOk: _encode_stats_ok,
    Changes: lambda w, m: w.u64(m.since).u32(m.max_ops).bool(m.follow),
    ChangesOk: _encode_changes_ok,
    Digest: lambda w, m: None,
    DigestOk: _encode_digest_ok,
    Apply: _encode_apply,
    ApplyOk: lambda w, m: w.u32(m.appended),
    Auth: lambda w, m: w.string(m.token_name, MAX_AUTH_FIELD, "token_name")
    .bytes(m.client_nonce, MAX_AUTH_FIELD, "client_nonce").bytes(m.proof, MAX_AUTH_FIELD, "proof"),
    AuthOk: lambda w, m: w.u8(m.role).bytes(m.server_proof, MAX_AUTH_FIELD, "server_proof"),
    Error: lambda w, m: w.u16(m.code).string(m.message, MAX_ERROR_MESSAGE, "message"),
    Edit: _encode_edit,
    EditOk: _encode_edit_ok,
    DigestRange: lambda w, m: w.bytes(m.prefix, MAX_DIGEST_RANGE_PREFIX, "prefix"),
    DigestRangeOk: _encode_digest_range_ok,
    Speakers: lambda w, m: w.string(m.query, MAX_SPEAKERS_QUERY, "query").u32(m.limit),
    SpeakersOk: _encode_speakers_ok,
    Count: lambda w, m: write_search_filter(w, m.filter),
    CountOk: lambda w, m: w.u64(m.count),
}

_DECODERS: Dict[int, Callable[[Reader], Message]] = {
    HELLO: _decode_hello,
    HELLO_OK: _decode_hello_ok,
    PING: lambda r: Ping(r.bytes(UNBOUNDED, "data")),
    PING_OK: lambda r: PingOk(r.bytes(UNBOUNDED, "data")),
    ADD: _decode_add,
    ADD_OK: _decode_add_ok,
    GET: lambda r: Get(r.string(MAX_ID_TEXT, "id")),
    GET_OK: lambda r: GetOk(read_archived_quote(r)),
    DELETE: lambda r: Delete(r.string(MAX_ID_TEXT, "id")),
    DELETE_OK: lambda r: DeleteOk(r.id()),
    SEARCH: _decode_search,
    SEARCH_OK: _decode_search_ok,
    RANDOM: _decode_random,
    RANDOM_OK: lambda r: RandomOk(read_archived_quote(r)),
    STATS: lambda r: Stats(),
    STATS_OK: _decode_stats_ok,
    CHANGES: lambda r: Changes(r.u64("since"), r.u32("max_ops"), r.bool("follow")),
    CHANGES_OK: _decode_changes_ok,
    DIGEST: lambda r: Digest(),
    DIGEST_OK: lambda r: DigestOk(r.u64("live_count"), r.raw(32, "digest").hex(), r.raw(32, "ops_digest").hex()),
    EDIT: _decode_edit,
    EDIT_OK: _decode_edit_ok,
    DIGEST_RANGE: lambda r: DigestRange(r.bytes(MAX_DIGEST_RANGE_PREFIX, "prefix")),
    DIGEST_RANGE_OK: _decode_digest_range_ok,
    SPEAKERS: lambda r: Speakers(r.string(MAX_SPEAKERS_QUERY, "query"), r.u32("limit")),
    SPEAKERS_OK: _decode_speakers_ok,
    COUNT: lambda r: Count(read_search_filter(r)),
    COUNT_OK: lambda r: CountOk(r.u64("count")),
    APPLY: _decode_apply,
    APPLY_OK: lambda r: ApplyOk(r.u32("appended")),
    AUTH: lambda r: Auth(r.string(MAX_AUTH_FIELD, "token_name"), r.bytes(MAX_AUTH_FIELD, "client_nonce"),
                         r.bytes(MAX_AUTH_FIELD, "proof")),
    AUTH_OK: lambda r: AuthOk(r.u8("role"), r.bytes(MAX_AUTH_FIELD, "server_proof")),
    ERROR: lambda r: Error(r.u16("code"), r.string(MAX_ERROR_MESSAGE, "message")),
}


def encode_message(message: Message) -> Tuple[int, bytes]:
    """``(opcode, payload)`` for a message dataclass."""
    encoder = _ENCODERS.get(type(message))
    if encoder is None:
        raise TypeError("not a protocol message: %r" % (message,))
    writer = Writer()
    encoder(writer, message)
    return message.OPCODE, writer.getvalue()


def decode_message(opcode: int, payload: bytes) -> Message:
    """The message an opcode's payload holds; the payload must be consumed exactly."""
    decoder = _DECODERS.get(opcode)
    if decoder is None:
        raise DecodeError("unknown opcode 0x%02x" % opcode)
    reader = Reader(payload)
    message = decoder(reader)
    reader.finish(OPCODE_NAMES[opcode])
    return message


# --------------------------------------------------------------------------- frames


@dataclass
class Frame:
    """One frame: ``u32 length ‖ u8 opcode ‖ u32 request_id ‖ payload`` (§2)."""

    opcode: int
    request_id: int
    payload: bytes = b""

    @property
    def length(self) -> int:
        return 5 + len(self.payload)


def encode_frame(opcode: int, request_id: int, payload: bytes = b"") -> bytes:
    """The whole frame, length prefix included."""
    if not 0 <= request_id <= 0xFFFFFFFF:
        raise InvalidInputError("request id %r is not a u32" % (request_id,))
    return struct.pack(">IBI", 5 + len(payload), opcode, request_id) + payload


def encode_message_frame(message: Message, request_id: int) -> bytes:
    """A message encoded into a whole frame."""
    opcode, payload = encode_message(message)
    return encode_frame(opcode, request_id, payload)


def decode_frame_header(header: bytes, max_length: int = MAX_RESPONSE_FRAME_BYTES) -> int:
    """The ``length`` of a frame from its first 4 bytes, checked: 5 ≤ length ≤ max_length."""
    if len(header) != 4:
        raise DecodeError("a frame header is 4 bytes")
    length = int(struct.unpack(">I", header)[0])
    if length < MIN_FRAME_LENGTH:
        raise DecodeError("frame length %d is below 5" % length)
    if length > max_length:
        raise DecodeError("frame length %d is over %d" % (length, max_length))
    return length


def decode_frame(data: bytes, max_length: int = MAX_RESPONSE_FRAME_BYTES) -> Frame:
    """Exactly one whole frame (length prefix included)."""
    length = decode_frame_header(bytes(data[:4]), max_length)
    if len(data) != 4 + length:
        raise DecodeError("frame length %d does not match the %d bytes after it" % (length, len(data) - 4))
    opcode, request_id = struct.unpack(">BI", bytes(data[4:9]))
    return Frame(opcode, request_id, bytes(data[9:]))


def decode_frame_message(data: bytes) -> Tuple[Frame, Message]:
    """A whole frame and the message its payload holds."""
    frame = decode_frame(data)
    return frame, decode_message(frame.opcode, frame.payload)


#: The message dataclass of each opcode.
MESSAGE_TYPES: Dict[int, Type[Any]] = {
    cls.OPCODE: cls for cls in _ENCODERS if cls is not EncodedAdd  # type: ignore[attr-defined]
}
