"""Codec edge cases the vectors do not show: bounds, malformed input, dates, frames."""

from __future__ import annotations

import datetime
import struct

import pytest

from quotearchive import Quote, canonicalize, quote_id
from quotearchive import codec
from quotearchive.errors import (
    DecodeError,
    FatalServerError,
    InvalidInputError,
    NotFoundError,
    ServerError,
    ValidationError,
    error_name,
)
from quotearchive.model import (
    SearchFilter,
    day_number,
    format_date,
    normalize_date,
    parse_date,
    timestamp_datetime,
)
from quotearchive.client import parse_server


@pytest.mark.parametrize("text,parts", [
    (None, (0, 0, 0)), ("", (0, 0, 0)), ("2024", (2024, 0, 0)), ("2025-06", (2025, 6, 0)),
    ("2025-06-28", (2025, 6, 28)), ("2024-02-29", (2024, 2, 29)), ("2000-02-29", (2000, 2, 29)),
    ("0001", (1, 0, 0)), ("9999-12-31", (9999, 12, 31)), (datetime.date(2025, 6, 28), (2025, 6, 28)),
])
def test_valid_dates(text: object, parts: tuple) -> None:
    assert parse_date(text) == parts  # type: ignore[arg-type]
    if parts != (0, 0, 0):
        assert parse_date(format_date(*parts)) == parts


@pytest.mark.parametrize("text", ["0000", "2025-00", "2025-13", "2025-02-30", "1900-02-29", "2025-6", "25",
                                  "2025-06-28T00", "2025-06-00", "abcd", "10000"])
def test_invalid_dates_are_refused_locally(text: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        parse_date(text)
    assert caught.value.code == 304 and caught.value.name == "invalid_date"


@pytest.mark.parametrize("raw", [b"\x00\x00\x01\x00", b"\x00\x00\x00\x01", b"\x07\xe9\x02\x1e", b"\x07\xe9\x0d\x00",
                                 b"\x07\xe9\x00\x01", b"\x27\x10\x00\x00"])
def test_invalid_date_encodings_are_malformed(raw: bytes) -> None:
    with pytest.raises(DecodeError):
        codec.Reader(raw).date()


def test_day_number() -> None:
    assert day_number(datetime.date(1970, 1, 1)) == 0
    assert day_number(datetime.date(2025, 6, 28)) == 20267
    assert day_number(datetime.datetime(2025, 6, 28, 23, 59, tzinfo=datetime.timezone.utc)) == 20267
    assert day_number(1751068800.0 + 86399) == 20267
    assert timestamp_datetime(114760876032000000) == datetime.datetime(2025, 6, 28, 12, 0, tzinfo=datetime.timezone.utc)


def test_length_is_checked_before_slicing() -> None:
    # A string claiming 2^32-1 bytes in a 10-byte payload.
    with pytest.raises(DecodeError):
        codec.decode_message(codec.GET, struct.pack(">I", 0xFFFFFFFF) + b"abcdef")
    # A list claiming more quotes than the bytes left could hold.
    with pytest.raises(DecodeError):
        codec.decode_message(codec.ADD, struct.pack(">I", 1000) + b"\x00" * 100)
    # Over a wire bound even though the bytes are there.
    with pytest.raises(DecodeError):
        codec.decode_message(codec.GET, struct.pack(">I", 65) + b"a" * 65)


def test_invalid_utf8_bool_and_enums_are_malformed() -> None:
    with pytest.raises(DecodeError):
        codec.decode_message(codec.GET, struct.pack(">I", 2) + b"\xc3\x28")
    with pytest.raises(DecodeError):
        codec.decode_message(codec.CHANGES, struct.pack(">QIB", 0, 1, 2))
    with pytest.raises(DecodeError):
        codec.decode_message(codec.STATS_OK, struct.pack(">II", 1, 1) + b"x" + b"\x02" + b"\x00" * 8)
    with pytest.raises(DecodeError):
        codec.decode_message(codec.HELLO, b"QTAX" + b"\x00\x01\x00\x01" + b"\x00" * 8)
    with pytest.raises(DecodeError):
        codec.decode_message(0x42, b"")


def test_frames() -> None:
    frame = codec.encode_frame(codec.PING, 7, b"\x00\x00\x00\x00")
    assert frame[:4] == struct.pack(">I", 9)
    assert codec.decode_frame(frame) == codec.Frame(codec.PING, 7, b"\x00\x00\x00\x00")
    with pytest.raises(DecodeError):
        codec.decode_frame(struct.pack(">I", 4) + b"\x02\x00\x00\x00")
    with pytest.raises(DecodeError):
        codec.decode_frame_header(struct.pack(">I", codec.MAX_RESPONSE_FRAME_BYTES + 1))
    with pytest.raises(InvalidInputError):
        codec.encode_frame(codec.PING, 1 << 32)


def test_encoder_refuses_what_the_server_would_find_malformed() -> None:
    with pytest.raises(InvalidInputError) as caught:
        codec.encode_quote(Quote("x" * (codec.MAX_QUOTE_TEXT + 1), "s"))
    assert caught.value.code == 301
    with pytest.raises(InvalidInputError):
        codec.encode_quote(Quote("t", "s", tags=["x"] * 129))
    with pytest.raises(InvalidInputError):
        codec.encode_quote(Quote("t", "s", date="2025-02-30"))
    with pytest.raises(InvalidInputError):
        codec.encode_quote(Quote("bad \ud800 surrogate", "s"))
    with pytest.raises(InvalidInputError):
        codec.encode_message(codec.Search(SearchFilter(tags=["t"] * 33)))
    with pytest.raises(InvalidInputError):
        codec.encode_message(codec.Get("a" * 65))
    # Within the wire bound but over the quote limit: the server rejects that quote only.
    codec.encode_quote(Quote("x" * 70000, "s"))


def test_quote_round_trip_with_absent_fields() -> None:
    quote = Quote("t", "s")
    data = codec.encode_quote(quote)
    assert len(data) == codec.MIN_QUOTE_BYTES + 2
    assert codec.decode_quote(data) == quote


def test_server_errors_map_to_subclasses() -> None:
    assert isinstance(ServerError.from_code(200, "x"), NotFoundError)
    assert isinstance(ServerError.from_code(303, "x"), ValidationError)
    assert isinstance(ServerError.from_code(399, "x"), ValidationError)
    unknown_fatal = ServerError.from_code(150, "x")
    assert isinstance(unknown_fatal, FatalServerError) and unknown_fatal.fatal
    unknown = ServerError.from_code(777, "x")
    assert type(unknown) is ServerError and not unknown.fatal and unknown.name == "error_777"
    assert error_name(106) == "idle_timeout"


def test_canonicalization_rules() -> None:
    quote = canonicalize(Quote(" a\u00a0\u00a0b \u2028\n\n c\u000b", "  Σ  x ", None, "  ", " PT-BR ",
                               ["B", "a", "b ", "J\u030c"]))
    assert quote.text == "a b\n\n\nc"
    assert quote.speaker == "Σ x"
    assert quote.source is None and quote.lang == "pt-br"
    assert quote.tags == ["a", "b", "\u01f0"]
    for bad, code in [(Quote(" \n ", "s"), 300), (Quote("t", " "), 303), (Quote("t", "s", lang="french!"), 308),
                      (Quote("t", "s", tags=[" "]), 307), (Quote("t\x00", "s"), 309),
                      (Quote("t", "s", tags=[str(i) for i in range(33)]), 306), (Quote("t", "s" * 257), 305)]:
        with pytest.raises(InvalidInputError) as caught:
            canonicalize(bad)
        assert caught.value.code == code
    assert quote_id(Quote("quelqu'un s'est faufilé dans notre maison et a volé quelque chose", "Mark Chen",
                          "2025-06-28", "Wired", "fr", ["talent", "OpenAI"])) == "f6a039889fcdae5b45b4399b6d30c726"
    # Metadata is not part of the id: the same words by the same speaker keep it.
    assert quote_id(Quote("quelqu'un s'est faufilé dans notre maison et a volé quelque chose", "Mark Chen")) \
        == "f6a039889fcdae5b45b4399b6d30c726"


def test_parse_server_and_normalize_date() -> None:
    assert parse_server("127.0.0.1:7000") == ("127.0.0.1", 7000)
    assert parse_server("[::1]:7000") == ("::1", 7000)
    assert parse_server("localhost") == ("localhost", 7878)
    with pytest.raises(InvalidInputError):
        parse_server("host:port")
    assert normalize_date(datetime.date(2025, 6, 1)) == "2025-06-01"
