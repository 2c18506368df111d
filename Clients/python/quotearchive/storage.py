"""The on-disk log format of Protocol/STORAGE.md: CRC-32C, log records and the log header.

Enough to read (or write) a ``quotes.log`` without the server, and to check the log
vectors. Recovery (STORAGE.md §5) is the server's business and is not implemented here.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import List, Tuple

from .codec import Reader, Writer, read_op, write_op
from .errors import DecodeError
from .model import Op

LOG_MAGIC = b"QUOTELOG"
LOG_VERSION = 2  # version 1 has the same records (ids hashed the whole quote) and reads too
LOG_HEADER_BYTES = 16
RECORD_HEADER_BYTES = 8
RECORD_TYPE_OP = 1
#: Smallest valid record ``length``: type, sequence and a delete op.
MIN_RECORD_LENGTH = 42
MAX_RECORD_LENGTH = 16777216


def _crc32c_table() -> List[int]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0x82F63B78 if crc & 1 else crc >> 1
        table.append(crc)
    return table


_CRC32C_TABLE = _crc32c_table()


def crc32c(data: bytes) -> int:
    """CRC-32C (Castagnoli, reflected 0x82F63B78, init and final XOR 0xFFFFFFFF)."""
    crc = 0xFFFFFFFF
    table = _CRC32C_TABLE
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


@dataclass
class LogRecord:
    """One record: ``u32 length ‖ u32 crc ‖ u8 type ‖ u64 sequence ‖ Op``."""

    sequence: int
    op: Op
    type: int = RECORD_TYPE_OP

    def encode(self) -> bytes:
        body = Writer().u8(self.type).u64(self.sequence)
        write_op(body, self.op)
        data = body.getvalue()
        return struct.pack(">II", len(data), crc32c(data)) + data


@dataclass
class DecodedRecord:
    """A record read from bytes, with its header fields."""

    length: int
    crc32c: int
    record: LogRecord


def decode_log_record(data: bytes, offset: int = 0) -> Tuple[DecodedRecord, int]:
    """The record at ``offset`` and the offset after it; checks length bounds, CRC and type."""
    if offset + RECORD_HEADER_BYTES > len(data):
        raise DecodeError("record at %d: header past the end" % offset)
    length, crc = struct.unpack(">II", data[offset:offset + RECORD_HEADER_BYTES])
    if not MIN_RECORD_LENGTH <= length <= MAX_RECORD_LENGTH:
        raise DecodeError("record at %d: length %d out of range" % (offset, length))
    end = offset + RECORD_HEADER_BYTES + length
    if end > len(data):
        raise DecodeError("record at %d: body past the end" % offset)
    body = data[offset + RECORD_HEADER_BYTES:end]
    if crc32c(body) != crc:
        raise DecodeError("record at %d: CRC mismatch" % offset)
    reader = Reader(body)
    record_type = reader.u8("type")
    if record_type != RECORD_TYPE_OP:
        raise DecodeError("record at %d: type %d is not 1" % (offset, record_type))
    sequence = reader.u64("sequence")
    op = read_op(reader)
    reader.finish("log record")
    return DecodedRecord(length, crc, LogRecord(sequence, op, record_type)), end


@dataclass
class LogHeader:
    magic: bytes = LOG_MAGIC
    version: int = LOG_VERSION
    flags: int = 0

    def encode(self) -> bytes:
        return self.magic + struct.pack(">II", self.version, self.flags)


@dataclass
class LogFile:
    header: LogHeader = field(default_factory=LogHeader)
    records: List[Tuple[int, DecodedRecord]] = field(default_factory=list)


def decode_log_file(data: bytes) -> LogFile:
    """A whole, undamaged ``quotes.log``: the header and every record with its offset."""
    if len(data) < LOG_HEADER_BYTES or data[:8] != LOG_MAGIC:
        raise DecodeError("not a quote log")
    version, flags = struct.unpack(">II", data[8:16])
    if version > LOG_VERSION:
        raise DecodeError("log version %d is newer than %d" % (version, LOG_VERSION))
    log = LogFile(LogHeader(LOG_MAGIC, version, flags))
    offset = LOG_HEADER_BYTES
    while offset < len(data):
        decoded, after = decode_log_record(data, offset)
        log.records.append((offset, decoded))
        offset = after
    return log
