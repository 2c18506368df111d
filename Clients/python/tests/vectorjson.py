"""The JSON form of Protocol/vectors/vectors.json, to and from the codec's dataclasses.

Conventions (vectors/README.md): bytes, ids, digests and cursors are lowercase hex; dates
are text or null; an absent source or lang is null; enumerations are names.
"""

from __future__ import annotations

from typing import Any, Dict, List

from quotearchive import codec
from quotearchive.errors import error_name
from quotearchive.model import AddResult, ArchivedQuote, Op, Quote, SearchFilter, SequencedOp, StatEntry

Json = Dict[str, Any]


def quote_from_json(data: Json) -> Quote:
    return Quote(data["text"], data["speaker"], data["date"], data["source"], data["lang"], list(data["tags"]))


def quote_to_json(quote: Quote) -> Json:
    return quote.to_dict()


def archived_from_json(data: Json) -> ArchivedQuote:
    return ArchivedQuote(data["id"], data["timestamp"], data["origin"], quote_from_json(data["quote"]))


def archived_to_json(archived: ArchivedQuote) -> Json:
    return archived.to_dict()


def op_from_json(data: Json) -> Op:
    quote = quote_from_json(data["quote"]) if data["kind"] == "put" else None
    return Op(data["kind"], data["timestamp"], data["origin"], data["id"], quote)


def op_to_json(op: Op) -> Json:
    out: Json = {"kind": op.kind, "timestamp": op.timestamp, "origin": op.origin, "id": op.id}
    if op.quote is not None:
        out["quote"] = quote_to_json(op.quote)
    return out


def filter_from_json(data: Json) -> SearchFilter:
    return SearchFilter(data["speaker"], data["from"], data["to"], data["words"], list(data["tags"]), data["lang"])


def filter_to_json(search: SearchFilter) -> Json:
    return {"speaker": search.speaker, "from": search.date_from, "to": search.date_to, "words": search.words,
            "tags": list(search.tags), "lang": search.lang}


def _hex(data: str) -> bytes:
    return bytes.fromhex(data)


def _result(r: Json) -> AddResult:
    return AddResult(r["status"], r["id"], r["code"], r["message"])


def _result_json(r: AddResult) -> Json:
    return {"status": r.status, "id": r.id, "code": r.code, "message": r.message}


def message_from_json(opcode: int, m: Json) -> codec.Message:
    """The message dataclass a vector's ``message`` describes."""
    if opcode in (codec.HELLO, codec.HELLO_OK):
        assert m["magic"] == "QTAR"
    builders = {
        codec.HELLO: lambda: codec.Hello(m["client_name"], m["min_version"], m["max_version"], _hex(m["authentication"])),
        codec.HELLO_OK: lambda: codec.HelloOk(m["version"], m["node_id"], m["server_name"], m["max_frame_bytes"],
                                              m["flags"], _hex(m["server_nonce"])),
        codec.PING: lambda: codec.Ping(_hex(m["data"])),
        codec.PING_OK: lambda: codec.PingOk(_hex(m["data"])),
        codec.ADD: lambda: codec.Add([quote_from_json(q) for q in m["quotes"]], bool(m["flags"] & codec.ADD_REPLACE)),
        codec.ADD_OK: lambda: codec.AddOk([_result(r) for r in m["results"]]),
        codec.EDIT: lambda: codec.Edit(m["id"], quote_from_json(m["quote"])),
        codec.EDIT_OK: lambda: codec.EditOk(_result(m["result"]), m["previous"]),
        codec.GET: lambda: codec.Get(m["id"]),
        codec.GET_OK: lambda: codec.GetOk(archived_from_json(m["quote"])),
        codec.DELETE: lambda: codec.Delete(m["id"]),
        codec.DELETE_OK: lambda: codec.DeleteOk(m["id"]),
        codec.SEARCH: lambda: codec.Search(filter_from_json(m["filter"]), m["limit"], _hex(m["cursor"])),
        codec.SEARCH_OK: lambda: codec.SearchOk([archived_from_json(q) for q in m["quotes"]], _hex(m["cursor"])),
        codec.RANDOM: lambda: codec.Random(filter_from_json(m["filter"]), m["day"]),
        codec.RANDOM_OK: lambda: codec.RandomOk(archived_from_json(m["quote"])),
        codec.STATS: lambda: codec.Stats(),
        codec.STATS_OK: lambda: codec.StatsOk([StatEntry(e["name"], e["value"]) for e in m["entries"]]),
        codec.CHANGES: lambda: codec.Changes(m["since"], m["max_ops"], m["follow"]),
        codec.CHANGES_OK: lambda: codec.ChangesOk(
            [SequencedOp(o["sequence"], op_from_json(o["op"])) for o in m["ops"]], m["last_sequence"]),
        codec.DIGEST: lambda: codec.Digest(),
        codec.DIGEST_OK: lambda: codec.DigestOk(m["live_count"], m["digest"], m["ops_digest"]),
        codec.DIGEST_RANGE: lambda: codec.DigestRange(_hex(m["prefix"])),
        codec.COUNT: lambda: codec.Count(filter_from_json(m["filter"])),
        codec.COUNT_OK: lambda: codec.CountOk(m["count"]),
        codec.SPEAKERS: lambda: codec.Speakers(m["query"], m["limit"]),
        codec.SPEAKERS_OK: lambda: codec.SpeakersOk(
            m["matching"], [codec.SpeakerCount(s["name"], s["quotes"]) for s in m["speakers"]]),
        codec.DIGEST_RANGE_OK: lambda: codec.DigestRangeOk(
            m["live_count"], m["digest"],
            parts=[codec.DigestRangePart(p["live_count"], p["digest"]) for p in m["parts"]] if m["form"] == "split" else None,
            entries=[codec.DigestRangeEntry(e["id"], e["term"]) for e in m["entries"]] if m["form"] == "listed" else None),
        codec.APPLY: lambda: codec.Apply([op_from_json(o) for o in m["ops"]]),
        codec.APPLY_OK: lambda: codec.ApplyOk(m["appended"]),
        codec.AUTH: lambda: codec.Auth(m["token_name"], bytes.fromhex(m["client_nonce"]), bytes.fromhex(m["proof"])),
        codec.AUTH_OK: lambda: codec.AuthOk(m["role"], bytes.fromhex(m["server_proof"])),
        codec.ERROR: lambda: codec.Error(m["code"], m["message"]),
    }
    return builders[opcode]()


def message_to_json(message: codec.Message) -> Json:
    """A decoded message in the vectors' JSON form."""
    m: Any = message
    if isinstance(m, codec.Hello):
        return {"magic": "QTAR", "min_version": m.min_version, "max_version": m.max_version,
                "client_name": m.client_name, "authentication": m.authentication.hex()}
    if isinstance(m, codec.HelloOk):
        return {"magic": "QTAR", "version": m.version, "node_id": m.node_id, "server_name": m.server_name,
                "max_frame_bytes": m.max_frame_bytes, "flags": m.flags, "server_nonce": m.server_nonce.hex()}
    if isinstance(m, (codec.Ping, codec.PingOk)):
        return {"data": m.data.hex()}
    if isinstance(m, codec.Add):
        return {"flags": codec.ADD_REPLACE if m.replace else 0, "quotes": [quote_to_json(q) for q in m.quotes]}
    if isinstance(m, codec.AddOk):
        return {"results": [_result_json(r) for r in m.results]}
    if isinstance(m, codec.Edit):
        return {"id": m.id, "quote": quote_to_json(m.quote)}
    if isinstance(m, codec.EditOk):
        return {"result": _result_json(m.result), "previous": m.previous}
    if isinstance(m, (codec.Get, codec.Delete, codec.DeleteOk)):
        return {"id": m.id}
    if isinstance(m, (codec.GetOk, codec.RandomOk)):
        return {"quote": archived_to_json(m.quote)}
    if isinstance(m, codec.Search):
        return {"filter": filter_to_json(m.filter), "limit": m.limit, "cursor": m.cursor.hex()}
    if isinstance(m, codec.SearchOk):
        return {"quotes": [archived_to_json(q) for q in m.quotes], "cursor": m.cursor.hex()}
    if isinstance(m, codec.Random):
        return {"filter": filter_to_json(m.filter), "day": m.day}
    if isinstance(m, (codec.Stats, codec.Digest)):
        return {}
    if isinstance(m, codec.StatsOk):
        return {"entries": [{"name": e.name, "value": e.value} for e in m.entries]}
    if isinstance(m, codec.Changes):
        return {"since": m.since, "max_ops": m.max_ops, "follow": m.follow}
    if isinstance(m, codec.ChangesOk):
        return {"ops": [{"sequence": s.sequence, "op": op_to_json(s.op)} for s in m.ops],
                "last_sequence": m.last_sequence}
    if isinstance(m, codec.DigestOk):
        return {"live_count": m.live_count, "digest": m.digest, "ops_digest": m.ops_digest}
    if isinstance(m, codec.Count):
        return {"filter": filter_to_json(m.filter)}
    if isinstance(m, codec.CountOk):
        return {"count": m.count}
    if isinstance(m, codec.Speakers):
        return {"query": m.query, "limit": m.limit}
    if isinstance(m, codec.SpeakersOk):
        return {"matching": m.matching, "speakers": [{"name": s.name, "quotes": s.quotes} for s in m.speakers]}
    if isinstance(m, codec.DigestRange):
        return {"prefix": m.prefix.hex()}
    if isinstance(m, codec.DigestRangeOk):
        if m.parts is not None:
            return {"live_count": m.live_count, "digest": m.digest, "form": "split",
                    "parts": [{"live_count": p.live_count, "digest": p.digest} for p in m.parts]}
        return {"live_count": m.live_count, "digest": m.digest, "form": "listed",
                "entries": [{"id": e.id, "term": e.term} for e in (m.entries or [])]}
    if isinstance(m, codec.Apply):
        return {"ops": [op_to_json(o) for o in m.ops]}
    if isinstance(m, codec.Auth):
        return {"token_name": m.token_name, "client_nonce": m.client_nonce.hex(), "proof": m.proof.hex()}
    if isinstance(m, codec.AuthOk):
        return {"role": m.role, "server_proof": m.server_proof.hex()}
    if isinstance(m, codec.ApplyOk):
        return {"appended": m.appended}
    if isinstance(m, codec.Error):
        return {"code": m.code, "name": error_name(m.code), "message": m.message}
    raise TypeError(type(m))


def ops_from_json(items: List[Json]) -> List[Op]:
    return [op_from_json(item) for item in items]
