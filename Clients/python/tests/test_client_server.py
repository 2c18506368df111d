"""The client against a real ``quoted`` (skipped when the binary is missing)."""

from __future__ import annotations

import datetime
import time
from typing import Dict, List, Tuple

import pytest
from quotedprocess import QuotedServer

from quotearchive import (
    AmbiguousPrefixError,
    ClientConnectionError,
    Client,
    InvalidIdError,
    InvalidInputError,
    InvalidQueryError,
    NotFoundError,
    Op,
    Quote,
    QuoteArchiveError,
    ReadOnlyError,
    ServerError,
    ValidationError,
    archive_digest,
    canonicalize,
    day_number,
    qotd_score,
    quote_id,
)

MARK_CHEN = Quote("quelqu'un s'est faufilé dans notre maison et a volé quelque chose", "Mark Chen", "2025-06-28",
                  "Wired", "fr", ["openai", "talent"])


def connect(server: QuotedServer, timeout: float = 10.0) -> Client:
    return Client(server.host, server.port, timeout=timeout)


def test_hello_and_ping(server: QuotedServer) -> None:
    with connect(server) as client:
        assert client.server.version == 2
        assert client.server.server_name.startswith("quoted/")
        assert client.server.max_frame_bytes == 1048576
        assert not client.server.read_only
        assert client.ping() >= 0
        assert client.ping(bytes(range(256)) * 100) >= 0
        assert client.stats()["node.id"] == client.server.node_id_hex
    assert client.closed


def test_add_is_canonical_and_idempotent(server: QuotedServer) -> None:
    typed = Quote("  Le  cœur a ses raisons\nque la raison ne connaît point. ", " Blaise  Pascal ", "1670",
                  " Pensées ", " FR ", ["Philosophie", "cœur", "philosophie"])
    with connect(server) as client:
        first = client.add(typed)
        assert first.added and first.status == "added"
        assert first.id == quote_id(typed)  # the local canonical form agrees with the server's
        again = client.add(canonicalize(typed))
        assert again.already_present and again.id == first.id
        archived = client.get(first.id)
        assert archived.quote == canonicalize(typed)
        assert archived.quote.tags == ["cœur", "philosophie"]
        assert archived.origin == client.server.node_id
        assert abs((archived.added - datetime.datetime.now(datetime.timezone.utc)).total_seconds()) < 60
        # Prefixes, either case, trailing whitespace ignored, raw bytes accepted.
        assert client.get(first.id[:6]).id == first.id
        assert client.get(first.id[:10].upper() + " \n").id == first.id
        assert client.get(bytes.fromhex(first.id)).id == first.id
        assert client.add({"text": "dict quotes work", "speaker": "Someone"}).added


def test_add_many_pipelines_batches_in_order(server: QuotedServer) -> None:
    quotes = [Quote("pipelined quote number %d" % i, "Batch Speaker", "2001") for i in range(2500)]
    quotes[1200] = Quote("rejected: no speaker", "   ")
    quotes[1700] = quotes[10]
    with connect(server) as client:
        before = client.stats()["quotes.live"]
        results = client.add_many(quotes, batch_size=1000)
        assert len(results) == 2500
        assert results[1200].rejected and results[1200].code == 303 and results[1200].id == "0" * 32
        assert results[1700].already_present and results[1700].id == results[10].id
        for index in (0, 999, 1000, 1999, 2000, 2499):
            assert results[index].added
            assert results[index].id == quote_id(quotes[index])
        assert client.stats()["quotes.live"] == before + 2498
        again = client.add_many(quotes[:50], batch_size=7)
        assert all(result.already_present for result in again)
        assert client.add_many([]) == []


def test_add_many_pipelines_hundreds_of_frames(server: QuotedServer) -> None:
    quotes = [{"text": "bulk line %d of the big import" % i, "speaker": "Bulk Importer", "tags": ["bulk"]}
              for i in range(20000)]
    with connect(server) as client:
        results = client.add_many(quotes, batch_size=50)  # 400 ADD frames in flight
        assert len(results) == 20000 and all(result.added for result in results)
        assert len({result.id for result in results}) == 20000
        assert sum(1 for _ in client.search(speaker="bulk importer", page_size=1000)) == 20000


def test_add_many_splits_batches_to_fit_max_frame_bytes(quoted_path, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with QuotedServer(quoted_path, tmp_path / "d", "--no-seed", "--fsync", "never", "--max-frame-bytes", "4096") as small:
        with connect(small) as client:
            assert client.server.max_frame_bytes == 4096
            quotes = [Quote("%d %s" % (i, "long text " * 100), "Frame Splitter") for i in range(40)]
            results = client.add_many(quotes, batch_size=1000)
            assert [result.status for result in results] == ["added"] * 40
            with pytest.raises(InvalidInputError):
                client.add(Quote("x" * 5000, "Too Big For The Frame"))
            assert client.ping() >= 0  # refused locally: the connection is intact


def test_an_oversized_search_page_raises_instead_of_hanging(fresh_server: QuotedServer) -> None:
    # 260 quotes of 65 KB: one page of them is about 17 MB, over the 16 MiB response bound.
    long_quotes = [Quote("%04d %s" % (i, "w" * 65000), "Long Winded") for i in range(260)]
    with connect(fresh_server, timeout=30) as client:
        assert all(result.added for result in client.add_many(long_quotes))
    client = connect(fresh_server, timeout=30)
    try:
        page = client.search_page(speaker="long winded", page_size=1000)
    except ClientConnectionError:  # PROTOCOL.md §6 SEARCH: the server drops the connection
        assert client.closed
    else:  # a server that shortens pages to fit would be fine too
        assert page.has_more and 0 < len(page.quotes) < 260
    finally:
        client.close()
    with connect(fresh_server, timeout=30) as client:
        assert sum(1 for _ in client.search(speaker="long winded", page_size=200)) == 260


def test_delete_and_re_add(server: QuotedServer) -> None:
    with connect(server) as client:
        added = client.add(Quote("a quote to delete", "Deleter"))
        assert client.delete(added.id[:8]) == added.id
        with pytest.raises(NotFoundError) as caught:
            client.get(added.id)
        assert caught.value.code == 200 and caught.value.name == "not_found"
        with pytest.raises(NotFoundError):
            client.delete(added.id)
        assert client.add(Quote("a quote to delete", "Deleter")).added  # the new put beats the tombstone
        assert client.get(added.id).id == added.id


def test_search_paging_order_and_filters(server: QuotedServer) -> None:
    dates = ["1990", "1990-05", "1990-05-17", "1991-01-01", None, "2000-02-29", "1989-12"]
    quotes = [Quote("paging test sentence %d about elephants" % i, "Pagina Speaker", dates[i % len(dates)], None,
                    "en" if i % 2 else "fr", ["paging", "odd" if i % 2 else "even"]) for i in range(57)]
    with connect(server) as client:
        ids = {result.id for result in client.add_many(quotes)}
        found = list(client.search(speaker="pagina speaker", page_size=10))
        assert {archived.id for archived in found} == ids and len(found) == 57

        def key(archived):  # type: ignore[no-untyped-def]
            date = archived.date
            parts = tuple(int(p) for p in date.split("-")) + (0, 0) if date else (99999,)
            return (date is None, parts[:3], archived.id)

        assert found == sorted(found, key=key)  # by date, unknown parts first, undated last, then id

        page = client.search_page(speaker="pagina", page_size=20)
        assert len(page.quotes) == 20 and page.has_more
        second = client.search_page(speaker="pagina", page_size=20, cursor=page.cursor)
        assert [q.id for q in page.quotes + second.quotes] == [q.id for q in found[:40]]
        last = client.search_page(speaker="pagina", page_size=1000)
        assert len(last.quotes) == 57 and not last.has_more

        odd = list(client.search(tags=["paging", "ODD"], lang="en"))
        assert len(odd) == 28 and all("odd" in q.tags and q.lang == "en" for q in odd)
        in_1990 = list(client.search(speaker="pagina", date_from="1990", date_to="1990-12-31"))
        assert {q.date for q in in_1990} == {"1990", "1990-05", "1990-05-17"}
        assert list(client.search(words="ELEPHANTS sentence 3", speaker="speaker"))[0].text.startswith(
            "paging test sentence 3 ")
        assert list(client.search(speaker="nobody by that name")) == []
        with pytest.raises(InvalidQueryError) as caught:
            client.search_page(page_size=0)
        assert caught.value.code == 204
        with pytest.raises(InvalidQueryError):
            client.search_page(cursor=b"not a cursor")


def test_random_and_quote_of_the_day(server: QuotedServer) -> None:
    quotes = [Quote("day pick candidate %d" % i, "Oracle of Days", lang="la") for i in range(30)]
    with connect(server) as client:
        ids = [result.id for result in client.add_many(quotes)]
        assert client.random(speaker="oracle").id in ids
        today = client.today(speaker="oracle")
        assert today.id == client.today(speaker="oracle", day=day_number()).id
        for day in (20267, 1, 30000):
            expected = min(ids, key=lambda quote_id: (qotd_score(day, quote_id), quote_id))
            assert client.today(speaker="oracle", day=day).id == expected
        assert client.today(lang="la", day=datetime.date(2025, 6, 28)).id == client.today(speaker="oracle", day=20267).id
        with pytest.raises(NotFoundError):
            client.random(speaker="no such oracle")
        with pytest.raises(NotFoundError):
            client.today(words="zzyzx-never-said")


def test_stats_digest_and_changes_agree(server: QuotedServer) -> None:
    with connect(server) as client:
        client.add(MARK_CHEN)
        doomed = client.add(Quote("soon a tombstone", "Digest Checker"))
        client.delete(doomed.id)
        stats = client.stats()
        for name in ("server.version", "quotes.live", "quotes.deleted", "log.sequence", "ops.add", "server.fsync"):
            assert name in stats
        assert isinstance(stats["quotes.live"], int) and isinstance(stats["server.version"], str)

        ops = list(client.iter_changes(0, max_ops=100))
        sequences = [op.sequence for op in ops]
        assert sequences == sorted(sequences) and sequences[-1] == client.stats()["log.sequence"]
        page = client.changes(sequences[-1], 10)
        assert page.ops == [] and page.caught_up

        winners: Dict[str, Op] = {}
        for sequenced in ops:
            op, current = sequenced.op, winners.get(sequenced.op.id)
            if current is None or _beats(op, current):
                winners[op.id] = op
        count, digest = client.digest()
        digests = client.digests()
        assert (count, digest, digests.ops_digest) == archive_digest(winners.values())
        assert count == client.stats()["quotes.live"]


def _beats(op: Op, current: Op) -> bool:
    if (op.timestamp, op.origin) != (current.timestamp, current.origin):
        return (op.timestamp, op.origin) > (current.timestamp, current.origin)
    return op.kind == "delete"


def test_apply_ops_from_another_archive(fresh_server: QuotedServer) -> None:
    put = Op("put", 114760876032000000, 2246800662264969608, quote_id(MARK_CHEN), canonicalize(MARK_CHEN))
    delete = Op("delete", 114766538342400003, 723685415333072913, put.id)
    with connect(fresh_server) as client:
        assert client.apply([put]) == 1
        assert client.get(put.id).origin == 2246800662264969608
        assert client.apply([put]) == 0  # already known
        assert client.apply([delete]) == 1
        with pytest.raises(NotFoundError):
            client.get(put.id)
        assert client.digest() == archive_digest([delete])[:2]
        assert client.digests().ops_digest == archive_digest([delete])[2]


def test_typed_errors(server: QuotedServer) -> None:
    with connect(server) as client:
        with pytest.raises(ValidationError) as caught:
            client.add(Quote("no speaker here", "  \t "))
        assert caught.value.code == 303 and caught.value.name == "missing_speaker"
        assert caught.value.result.rejected  # type: ignore[attr-defined]
        with pytest.raises(ValidationError) as caught:
            client.add(Quote("bad language", "Linguist", lang="not a language"))
        assert caught.value.code == 308
        with pytest.raises(ValidationError) as caught:
            client.add(Quote("x" * 65537, "Verbose"))
        assert caught.value.code == 301
        with pytest.raises(InvalidIdError):
            client.get("xyz")
        with pytest.raises(InvalidIdError):
            client.get("12345")
        with pytest.raises(NotFoundError):
            client.get("0" * 32)
        with pytest.raises(InvalidInputError) as invalid:
            client.add(Quote("a date that does not exist", "Calendar", "2025-02-30"))
        assert invalid.value.code == 304
        assert isinstance(invalid.value, ValueError)
        # Errors 2xx/3xx leave the connection usable; local refusals never reach the server.
        assert client.ping() >= 0
        assert isinstance(caught.value, ServerError) and isinstance(caught.value, QuoteArchiveError)


def _colliding_pair() -> Tuple[Quote, Quote]:
    seen: Dict[str, Quote] = {}
    for number in range(200000):
        quote = Quote("ambiguity probe %d" % number, "Prefix Prober")
        prefix = quote_id(quote)[:6]
        if prefix in seen:
            return seen[prefix], quote
        seen[prefix] = quote
    raise AssertionError("no 6-digit prefix collision")


def test_ambiguous_prefix(server: QuotedServer) -> None:
    first, second = _colliding_pair()
    with connect(server) as client:
        ids = [client.add(first).id, client.add(second).id]
        assert ids[0][:6] == ids[1][:6] and ids[0] != ids[1]
        with pytest.raises(AmbiguousPrefixError) as caught:
            client.get(ids[0][:6])
        assert caught.value.code == 201 and caught.value.name == "ambiguous_prefix"
        longer = 6
        while ids[0][:longer] == ids[1][:longer]:
            longer += 1
        assert client.get(ids[0][:longer]).id == ids[0]


def test_read_only_server(quoted_path, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with QuotedServer(quoted_path, tmp_path / "ro", "--no-seed", "--read-only") as read_only:
        with connect(read_only) as client:
            assert client.server.read_only
            with pytest.raises(ReadOnlyError) as caught:
                client.add(Quote("cannot be stored", "Nobody"))
            assert caught.value.code == 400
            with pytest.raises(ReadOnlyError):
                client.add_many([Quote("a", "b"), Quote("c", "d")], batch_size=1)
            assert client.ping() >= 0


def test_server_killed_mid_use_raises(fresh_server: QuotedServer) -> None:
    client = connect(fresh_server, timeout=5.0)
    client.add(Quote("before the crash", "Survivor"))
    fresh_server.kill()
    started = time.monotonic()
    with pytest.raises(ClientConnectionError):
        client.ping()
    assert time.monotonic() - started < 5.0
    assert client.closed
    with pytest.raises(ClientConnectionError):
        client.ping()
    with pytest.raises(ConnectionError):  # also a built-in ConnectionError
        client.stats()


def test_server_stopped_with_sigterm_raises_on_next_call(fresh_server: QuotedServer) -> None:
    client = connect(fresh_server, timeout=5.0)
    assert client.ping() >= 0
    assert fresh_server.stop() == 0
    with pytest.raises((ClientConnectionError, ServerError)):
        client.ping()


def test_many_clients_share_one_archive(server: QuotedServer) -> None:
    clients: List[Client] = [connect(server) for _ in range(8)]
    try:
        ids = [c.add(Quote("shared by client %d" % n, "Crowd")).id for n, c in enumerate(clients)]
        for c in clients:
            assert {q.id for q in c.search(speaker="crowd")} == set(ids)
    finally:
        for c in clients:
            c.close()


def test_same_words_and_speaker_are_one_quote_whose_metadata_can_change(fresh_server: QuotedServer) -> None:
    with connect(fresh_server) as client:
        first = client.add(Quote("Ship it.", "A. Hacker", tags=["work"]))
        assert first.added
        again = client.add(Quote("Ship  it.", "A.  Hacker", tags=["WORK"]))
        assert again.already_present and again.id == first.id
        differs = client.add(Quote("Ship it.", "A. Hacker", date="2024", tags=["work"]))
        assert differs.differs and differs.id == first.id and not differs.ok
        assert client.get(first.id).quote.date is None  # nothing changed
        updated = client.add(Quote("Ship it.", "A. Hacker", date="2024", tags=["work"]), replace=True)
        assert updated.updated and updated.id == first.id
        assert client.get(first.id).quote.date == "2024"
        results = client.add_many([Quote("Ship it.", "A. Hacker", source="a talk"), Quote("New one.", "B"),
                                   {"text": "Bad date.", "speaker": "C", "date": "2025-02-30"}], replace=True)
        assert [r.status for r in results] == ["updated", "added", "rejected"]
        assert results[2].code == 304
        # A replace stores the whole put: the tags it did not carry are gone.
        assert client.get(first.id).quote.source == "a talk" and client.get(first.id).quote.tags == []

        # Metadata edits keep the id; a text edit makes a new id and deletes the old one.
        edited = client.edit(first.id[:8], add_tags=["deploy"], date=None)
        assert edited.previous == first.id and edited.result.updated and edited.result.id == first.id
        assert client.get(first.id).quote.tags == ["deploy"]
        moved = client.edit(first.id, text="Ship it now.")
        assert moved.previous == first.id and moved.result.added and moved.result.id != first.id
        assert quote_id(Quote("Ship it now.", "A. Hacker")) == moved.result.id
        with pytest.raises(NotFoundError):
            client.get(first.id)
        assert client.get(moved.result.id).quote.tags == ["deploy"]


HARD_IDS = [
    Quote("Ame\u0301lie a e\u0301te\u0301 la\u0300", "Ame\u0301lie Poulain"),  # NFD in, NFC stored
    Quote("  tabs\tand   spaces \r\n\r\n kept lines  ", "  Some\u00a0One \n"),
    Quote("\U0001F600 emoji \U0001F1EB\U0001F1F7 and \u200d joiners", "\U0001F916 Bot"),
    Quote("\u05e9\u05dc\u05d5\u05dd \u05e2\u05d5\u05dc\u05dd", "\u05d3\u05d5\u05d3 \u05d1\u05df-\u05d2\u05d5\u05e8\u05d9\u05d5\u05df"),
    Quote("\u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645", "\u0627\u0628\u0646 \u0633\u064a\u0646\u0627", tags=["\u0637\u0628"]),
    Quote("\u1112\u1161\u11ab\u1100\u116e\u11a8\u110b\u1165", "\u1109\u1166\u110c\u1169\u11bc"),  # Hangul jamo (NFD)
]


@pytest.mark.parametrize("quote", HARD_IDS, ids=range(len(HARD_IDS)))
def test_the_local_id_matches_the_servers_on_hard_text(server: QuotedServer, quote: Quote) -> None:
    with connect(server) as client:
        result = client.add(quote)
        assert result.ok
        assert result.id == quote_id(quote)
        # Metadata never moves the id.
        assert quote_id(Quote(quote.text, quote.speaker, "2001", "somewhere", "xx", ["t"])) == result.id


def test_digest_range_and_diff_find_what_two_archives_hold_differently(
        quoted_path, tmp_path) -> None:
    shared = [Quote("Shared quote %d about ranges" % n, "Speaker %d" % (n % 7)) for n in range(300)]
    with QuotedServer(quoted_path, tmp_path / "a", "--no-seed") as a, \
            QuotedServer(quoted_path, tmp_path / "b", "--no-seed") as b, \
            connect(a) as left, connect(b) as right:
        left.add_many(shared)
        right.add_many(shared)
        whole = left.digest_range()
        assert (whole.live_count, whole.digest) == left.digest()
        assert whole.parts is not None and len(whole.parts) == 256
        assert sum(part.live_count for part in whole.parts) == 300
        assert left.diff(right) == []

        only_a = left.add(Quote("Kept on A alone", "Alpha")).id
        only_b = right.add(Quote("Kept on B alone", "Beta")).id
        changed = right.add(Quote(shared[5].text, shared[5].speaker, tags=["retagged"]), replace=True)
        assert changed.status == "updated"
        assert left.diff(right) == sorted([(only_a, "only_in_a"), (only_b, "only_in_b"), (changed.id, "differs")])

        one = left.digest_range(bytes.fromhex(only_a)[:2])
        assert one.entries is not None and [entry.id for entry in one.entries] == [only_a]


def test_speakers_lists_matching_names_with_counts(fresh_server: QuotedServer) -> None:
    with connect(fresh_server) as client:
        client.add_many([Quote("We are going to over-invest.", "Mark Zuckerberg"),
                         Quote("Superintelligence is in sight.", "Mark Zuckerberg"),
                         Quote("Someone broke into our home.", "Mark Chen")])
        assert client.speakers("mark") == (2, [("Mark Zuckerberg", 2), ("Mark Chen", 1)])
        assert client.speakers("chen MARK") == (1, [("Mark Chen", 1)])
        assert client.speakers("zu*", limit=1) == (1, [("Mark Zuckerberg", 2)])
        assert client.speakers("", limit=1) == (2, [("Mark Zuckerberg", 2)])
        with pytest.raises(InvalidQueryError):
            client.speakers("zu*ck")
        assert [q.speaker for q in client.search(speaker="chen mark")] == ["Mark Chen"]


def test_text_queries_and_count(fresh_server: QuotedServer) -> None:
    with connect(fresh_server) as client:
        client.add_many([Quote("Someone has broken into our home and stolen something.", "Mark Chen"),
                         Quote("We broke into our home office.", "Someone Else"),
                         Quote("Superintelligence is in sight.", "Mark Zuckerberg")])
        assert [q.speaker for q in client.search(words='"broke into our home"')] == ["Someone Else"]
        assert client.count(words="superintell*") == 1
        assert client.count(words="home -stolen") == 1
        assert client.count(speaker="mark") == 2
        with pytest.raises(InvalidQueryError):
            client.count(words='"unbalanced')


def test_pages_a_work_budget_ends_early_are_short_or_empty_and_lose_nothing(quoted_path, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # A budget of 400 steps: finding the one quote in a hundred that lacks "plain" reads far
    # more quotes than one page may, so pages come back short or empty, with a cursor.
    with QuotedServer(quoted_path, tmp_path / "budget", "--no-seed", "--fsync", "never", "--search-budget", "400") as server:
        with connect(server) as client:
            quotes = [Quote("common words %d %s" % (i, "rare" if i % 100 == 7 else "plain"), "Budget Speaker")
                      for i in range(2000)]
            client.add_many(quotes)
            # The word lists are ranked in the background (the budget counts their steps);
            # wait for a ranking to be in use. Quotes added after it wait in the unranked tail.
            deadline = time.monotonic() + 20
            while client.stats().get("index.ranked", 0) == 0 and time.monotonic() < deadline:
                time.sleep(0.05)
            stats = client.stats()
            assert stats["index.ranked"] > 0 and stats["index.ranked"] + stats["index.unranked"] == 2000
            first = client.search_page(words="common -plain", page_size=20)
            assert len(first.quotes) < 20 and first.has_more
            found = list(client.search(words="common -plain", page_size=20))
            assert len(found) == 20 and len({q.id for q in found}) == 20
            assert all(q.text.endswith(" rare") for q in found)
            assert client.count(words="common -plain") == 20
