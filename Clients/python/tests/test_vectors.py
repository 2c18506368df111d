"""Every golden vector of Protocol/vectors: decode per vectors.json, compare, re-encode byte for byte."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Dict, List

import pytest
from vectorjson import message_from_json, message_to_json, op_from_json, op_to_json, ops_from_json, quote_from_json

from quotearchive import codec
from quotearchive.canonical import canonicalize
from quotearchive.model import archive_digest, day_number, qotd_score, quote_id_of_encoding
from quotearchive.storage import LogHeader, LogRecord, crc32c, decode_log_file, decode_log_record

VECTORS = Path(__file__).resolve().parents[3] / "Protocol" / "vectors"
CATALOG: Dict[str, Any] = json.loads((VECTORS / "vectors.json").read_text(encoding="utf-8"))
ENTRIES: List[Dict[str, Any]] = CATALOG["vectors"]
BY_FILE = {entry["file"]: entry for entry in ENTRIES}


def entries_of(*kinds: str) -> List[Dict[str, Any]]:
    return [entry for entry in ENTRIES if entry["kind"] in kinds]


def data_of(entry: Dict[str, Any]) -> bytes:
    return (VECTORS / entry["file"]).read_bytes()


def test_catalog_covers_every_file() -> None:
    on_disk = sorted(path.name for path in VECTORS.glob("*.bin"))
    assert sorted(BY_FILE) == on_disk
    assert CATALOG["format"].startswith("quote archive protocol golden vectors")


def test_every_opcode_has_a_request_and_a_response_vector() -> None:
    opcodes = {entry["opcode"] for entry in entries_of("request", "response")}
    requests = {codec.HELLO, codec.PING, codec.ADD, codec.GET, codec.DELETE, codec.SEARCH, codec.RANDOM,
                codec.STATS, codec.CHANGES, codec.DIGEST, codec.APPLY, codec.AUTH}
    assert requests <= opcodes
    assert {op | codec.RESPONSE_BIT for op in requests} <= opcodes
    assert codec.ERROR in opcodes


@pytest.mark.parametrize("entry", entries_of("request", "response"), ids=lambda e: e["file"])
def test_frame_vector(entry: Dict[str, Any]) -> None:
    data = data_of(entry)
    length = int.from_bytes(data[:4], "big")
    assert length == len(data) - 4
    frame = codec.decode_frame(data)
    assert frame.opcode == entry["opcode"]
    assert codec.OPCODE_NAMES[frame.opcode] == entry["opcode_name"]
    assert frame.request_id == entry["request_id"]
    is_response = entry["kind"] == "response"
    assert bool(frame.opcode & codec.RESPONSE_BIT) == is_response

    decoded = codec.decode_message(frame.opcode, frame.payload)
    expected = message_from_json(entry["opcode"], entry["message"])
    assert decoded == expected
    assert message_to_json(decoded) == entry["message"]

    # Re-encode the expected value: byte for byte the file.
    assert codec.encode_message_frame(expected, entry["request_id"]) == data


@pytest.mark.parametrize("entry", entries_of("request", "response"), ids=lambda e: e["file"])
def test_frame_vector_truncated_or_padded_is_malformed(entry: Dict[str, Any]) -> None:
    frame = codec.decode_frame(data_of(entry))
    if frame.payload:
        with pytest.raises(codec.DecodeError):
            codec.decode_message(frame.opcode, frame.payload[:-1])
    with pytest.raises(codec.DecodeError):
        codec.decode_message(frame.opcode, frame.payload + b"\x00")


@pytest.mark.parametrize("entry", entries_of("quote"), ids=lambda e: e["file"])
def test_quote_vector(entry: Dict[str, Any]) -> None:
    data = data_of(entry)
    quote = codec.decode_quote(data)
    assert quote == quote_from_json(entry["quote"])
    assert quote.to_dict() == entry["quote"]
    assert codec.encode_quote(quote_from_json(entry["quote"])) == data
    assert quote_id_of_encoding(data) == entry["id"]
    # Canonicalizing the canonical quote changes nothing; the raw input becomes it.
    assert canonicalize(quote) == quote
    if "raw" in entry:
        raw = quote_from_json(entry["raw"])
        assert raw != quote
        assert codec.encode_quote(canonicalize(raw)) == data


@pytest.mark.parametrize("entry", entries_of("log-record"), ids=lambda e: e["file"])
def test_log_record_vector(entry: Dict[str, Any]) -> None:
    data = data_of(entry)
    decoded, end = decode_log_record(data)
    assert end == len(data)
    assert decoded.length == entry["length"] == len(data) - 8
    assert "%08x" % decoded.crc32c == entry["crc32c"]
    assert crc32c(data[8:]) == decoded.crc32c
    assert decoded.record.type == entry["type"]
    assert decoded.record.sequence == entry["sequence"]
    assert op_to_json(decoded.record.op) == entry["op"]
    assert LogRecord(entry["sequence"], op_from_json(entry["op"]), entry["type"]).encode() == data


@pytest.mark.parametrize("entry", entries_of("log-file"), ids=lambda e: e["file"])
def test_log_file_vector(entry: Dict[str, Any]) -> None:
    data = data_of(entry)
    log = decode_log_file(data)
    header = entry["header"]
    assert (log.header.magic.decode("ascii"), log.header.version, log.header.flags) == (
        header["magic"], header["version"], header["flags"])
    assert len(log.records) == len(entry["records"])
    rebuilt = LogHeader(header["magic"].encode("ascii"), header["version"], header["flags"]).encode()
    for (offset, decoded), expected in zip(log.records, entry["records"]):
        assert offset == expected["offset"]
        assert decoded.length == expected["length"]
        assert "%08x" % decoded.crc32c == expected["crc32c"]
        assert decoded.record.sequence == expected["sequence"]
        assert op_to_json(decoded.record.op) == expected["op"]
        rebuilt += LogRecord(expected["sequence"], op_from_json(expected["op"]), expected["type"]).encode()
    assert rebuilt == data


# ---------------------------------------------------------------- dedicated facts (vectors/README.md)


def test_digest_arithmetic_matches_the_listed_archive() -> None:
    entry = BY_FILE["digest_ok.bin"]
    live, content, ops = archive_digest(ops_from_json(entry["archive"]))
    message = entry["message"]
    assert (live, content, ops) == (message["live_count"], message["digest"], message["ops_digest"])


def test_mark_chen_id() -> None:
    assert BY_FILE["quote-mark-chen.bin"]["id"] == "f6a039889fcdae5b45b4399b6d30c726"
    data = data_of(BY_FILE["quote-mark-chen.bin"])
    # The id hashes the leading text and speaker fields alone, not the metadata after them.
    text_length = int.from_bytes(data[0:4], "big")
    speaker_length = int.from_bytes(data[4 + text_length:8 + text_length], "big")
    identity = data[:8 + text_length + speaker_length]
    assert hashlib.sha256(identity).hexdigest().startswith("f6a039889fcdae5b45b4399b6d30c726")
    assert hashlib.sha256(data).hexdigest()[:32] != "f6a039889fcdae5b45b4399b6d30c726"


def test_ping_request_id_uses_all_32_bits() -> None:
    assert codec.decode_frame(data_of(BY_FILE["ping.bin"])).request_id == 0xDEADBEEF


def test_add_ok_answers_add_batch() -> None:
    request = codec.decode_frame(data_of(BY_FILE["add_batch.bin"]))
    response = codec.decode_frame(data_of(BY_FILE["add_ok.bin"]))
    assert request.request_id == response.request_id
    assert response.opcode == request.opcode | codec.RESPONSE_BIT
    results = codec.decode_message(response.opcode, response.payload).results  # type: ignore[union-attr]
    assert len(results) == 4
    assert results[2].rejected and results[2].id == "0" * 32 and results[2].code == 303
    assert results[2].name == "missing_speaker"
    assert results[3].differs and results[3].id == BY_FILE["quote-mark-chen.bin"]["id"]


def test_random_day_is_2025_06_28() -> None:
    import datetime

    frame = codec.decode_frame(data_of(BY_FILE["random.bin"]))
    message = codec.decode_message(frame.opcode, frame.payload)
    assert message.day == 20267 == day_number(datetime.date(2025, 6, 28))  # type: ignore[union-attr]
    assert qotd_score(20267, "f6a039889fcdae5b45b4399b6d30c726") >= 0


def test_documented_hex_dumps() -> None:
    """The annotated dumps of PROTOCOL.md §9 and STORAGE.md §2 match the files."""
    hello = bytes.fromhex("00000026" "01" "00000001" "51544152" "0002" "0002"
                          "00000011" + "quotes-python/0.1".encode().hex() + "00000000")
    assert hello == data_of(BY_FILE["hello.bin"])
    error = bytes.fromhex("00000026ff0000000c00c80000001b" + "no quote with id 0123456789".encode().hex())
    assert error == data_of(BY_FILE["error.bin"])
    delete_record = bytes.fromhex("0000002a" "6f592926" "01" "0000000000000002" "02" "0197bb8efe000003"
                                  "0a0b0c0d0e0f1011" "f6a039889fcdae5b45b4399b6d30c726")
    assert delete_record == data_of(BY_FILE["log-record-delete.bin"])


def test_auth_proofs_are_the_hmacs_the_spec_describes() -> None:
    import hmac

    for name in ("auth.bin", "auth_ok.bin"):
        entry = next(e for e in entries_of("request", "response") if e["file"] == name)
        secret = bytes.fromhex(entry["secret"])
        server_nonce = bytes.fromhex(entry["server_nonce"])
        client_nonce = bytes.fromhex(entry["client_nonce"])
        assert entry["token"] == "editor:" + entry["secret"]
        assert hmac.new(secret, server_nonce + client_nonce, hashlib.sha256).hexdigest() == entry["client_proof"]
        assert hmac.new(secret, client_nonce + server_nonce, hashlib.sha256).hexdigest() == entry["server_proof"]
