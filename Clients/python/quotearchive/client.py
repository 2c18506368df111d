"""A blocking client for ``quoted``: one TCP connection, HELLO on connect.

Every call sends its request and waits for the response under the same request id.
:meth:`Client.add_many` pipelines: it writes every batch's frame and reads the answers
as they come (full duplex, so a large import never stalls on a full socket buffer), then
matches them to the batches by request id.

Failures are typed (see :mod:`quotearchive.errors`). A server that stops answering for
``timeout`` seconds raises :class:`ClientTimeoutError`; a dropped connection raises
:class:`ClientConnectionError`. After either, or after a fatal protocol error, the client
is closed and every further call raises :class:`ClientConnectionError`.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import os
import selectors
import socket
import struct
import time
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Tuple, Union

from . import codec
from .codec import (
    Add,
    AddOk,
    Apply,
    ApplyOk,
    Auth,
    AuthOk,
    Changes,
    ChangesOk,
    Delete,
    DeleteOk,
    Digest,
    DigestOk,
    DigestRange,
    DigestRangeOk,
    Speakers,
    SpeakersOk,
    Count,
    CountOk,
    Edit,
    EditOk,
    Error,
    Get,
    GetOk,
    Hello,
    HelloOk,
    Message,
    Ping,
    PingOk,
    Random,
    RandomOk,
    Search,
    SearchOk,
    Stats,
    StatsOk,
)
from .errors import (
    ClientConnectionError,
    ClientTimeoutError,
    InvalidInputError,
    ProtocolError,
    QuoteArchiveError,
    ServerError,
)
from .model import (
    REJECTED,
    ZERO_ID,
    AddResult,
    ArchivedQuote,
    DateLike,
    Op,
    Quote,
    SearchFilter,
    SequencedOp,
    day_number,
    id_hex,
)

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 10.0
CLIENT_NAME = "quotearchive-python/0.1"

QuoteLike = Union[Quote, Mapping[str, Any]]
IdLike = Union[str, bytes]
#: The pages of a search: a SEARCH_OK's quotes and cursor.
SearchPage = SearchOk
#: A page of CHANGES: ops and the archive's last sequence number.
ChangesPage = ChangesOk

_RECV_BYTES = 262144


def _as_quote(value: QuoteLike) -> Quote:
    if isinstance(value, Quote):
        return value
    if isinstance(value, Mapping):
        try:
            return Quote.from_dict(dict(value))
        except KeyError as missing:
            raise InvalidInputError("a quote needs %s" % missing) from None
    raise InvalidInputError("not a quote: %r" % (value,))


class Client:
    """A connection to a ``quoted`` server.

    ``Client(host, port, timeout)`` connects and says HELLO at once; use it as a context
    manager, or call :meth:`close`. One client is one connection: do not share it between
    threads without a lock (or give each thread its own). ``timeout`` is how many seconds the server may stay
    silent (while a request is outstanding) before :class:`ClientTimeoutError`; it also
    bounds connecting.
    """

    def __init__(
        self,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        timeout: float = DEFAULT_TIMEOUT,
        client_name: str = CLIENT_NAME,
        token: Optional[str] = None,
    ) -> None:
        if timeout is None or timeout <= 0:
            raise InvalidInputError("timeout must be a number of seconds above 0")
        self.host = host
        self.port = port
        self.timeout = float(timeout)
        self._next_request_id = 1
        self._inbox = bytearray()
        self._socket: Optional[socket.socket] = None
        self._selector: Optional[selectors.BaseSelector] = None
        self._closed_because = "the client is closed"
        try:
            sock = socket.create_connection((host, port), timeout=self.timeout)
        except socket.timeout:
            raise ClientTimeoutError("cannot reach %s:%s: timed out after %gs" % (host, port, self.timeout)) from None
        except OSError as error:
            raise ClientConnectionError("cannot reach %s:%s: %s" % (host, port, error.strerror or error)) from None
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.setblocking(False)
        self._socket = sock
        self._selector = selectors.DefaultSelector()
        self._selector.register(sock, selectors.EVENT_READ)
        try:
            response = self._request(Hello(client_name))
        except BaseException:
            self.close()
            raise
        assert isinstance(response, HelloOk)
        if response.version != codec.PROTOCOL_VERSION:
            self._fail("the server chose version %d, which this client does not speak" % response.version)
            raise ProtocolError("the server chose version %d" % response.version)
        #: The server's HELLO_OK: ``server_name``, ``node_id``, ``max_frame_bytes``, ``flags``...
        self.server: HelloOk = response
        if response.flags & 0x02:
            try:
                self._authenticate(token if token is not None else os.environ.get("QUOTES_TOKEN"), response.server_nonce)
            except BaseException:
                self.close()
                raise

    def _authenticate(self, token: Optional[str], server_nonce: bytes) -> None:
        """AUTH (PROTOCOL.md §5): prove the token, then check the server's proof in turn."""
        if not token:
            raise ServerError.from_code(403, "the server requires a token: pass token='NAME:HEX' or set QUOTES_TOKEN")
        name, _, secret_hex = token.strip().rpartition(":")
        try:
            secret = bytes.fromhex(secret_hex)
        except ValueError:
            raise InvalidInputError("a token is NAME:HEX, as `quoted token add` prints it") from None
        if not name or len(secret) < 16:
            raise InvalidInputError("a token is NAME:HEX, as `quoted token add` prints it")
        client_nonce = os.urandom(32)
        proof = hmac.new(secret, server_nonce + client_nonce, hashlib.sha256).digest()
        answer = self._request(Auth(name, client_nonce, proof))
        assert isinstance(answer, AuthOk)
        expected = hmac.new(secret, client_nonce + server_nonce, hashlib.sha256).digest()
        if not hmac.compare_digest(answer.server_proof, expected):
            self._fail("the server could not prove it knows the token")
            raise ProtocolError("the server could not prove it knows the token: it is not the server you expect")

    # ------------------------------------------------------------------ lifecycle

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        state = "closed" if self.closed else "open"
        return "<Client %s:%s %s>" % (self.host, self.port, state)

    @property
    def closed(self) -> bool:
        return self._socket is None

    def close(self) -> None:
        """Closes the connection; further calls raise :class:`ClientConnectionError`."""
        self._fail("the client is closed")

    def _fail(self, reason: str) -> None:
        if self._socket is None:
            return
        self._closed_because = reason
        if self._selector is not None:
            self._selector.close()
            self._selector = None
        try:
            self._socket.close()
        finally:
            self._socket = None

    # ------------------------------------------------------------------ transport

    def _allocate_id(self) -> int:
        request_id = self._next_request_id
        self._next_request_id = request_id + 1 if request_id < 0xFFFFFFFF else 1
        return request_id

    def _request(self, message: Message) -> Message:
        """Sends one request and returns its success response; ERROR raises."""
        (response,) = self._exchange([message])
        if isinstance(response, Error):
            raise ServerError.from_code(response.code, response.message)
        return response

    def _exchange(self, messages: Sequence[Message]) -> List[Message]:
        """Sends every request pipelined and returns the responses in request order.

        ERROR responses are returned, not raised, except fatal ones (which close the client).
        """
        if self._socket is None:
            raise ClientConnectionError(self._closed_because)
        frames = []
        expected: Dict[int, Tuple[int, int]] = {}
        for index, message in enumerate(messages):
            opcode, payload = codec.encode_message(message)
            if 5 + len(payload) > self._max_frame_bytes():
                raise InvalidInputError(
                    "a %s of %d bytes is over the server's max_frame_bytes (%d)"
                    % (codec.OPCODE_NAMES[opcode], 5 + len(payload), self._max_frame_bytes()))
            request_id = self._allocate_id()
            expected[request_id] = (index, opcode | codec.RESPONSE_BIT)
            frames.append(codec.encode_frame(opcode, request_id, payload))
        try:
            return self._run(frames, expected)
        except (QuoteArchiveError, OSError) as error:
            # _run raises only what ends the connection: I/O failures, timeouts, protocol
            # violations, and fatal ERRORs (1xx, or anything under request id 0).
            self._fail("the connection was closed after an error: %s" % error)
            if isinstance(error, OSError) and not isinstance(error, QuoteArchiveError):
                raise ClientConnectionError("lost the connection to %s:%s: %s"
                                            % (self.host, self.port, error.strerror or error)) from None
            raise

    def _max_frame_bytes(self) -> int:
        server = getattr(self, "server", None)
        return server.max_frame_bytes if server is not None else codec.DEFAULT_MAX_FRAME_BYTES

    def _run(self, frames: List[bytes], expected: Dict[int, Tuple[int, int]]) -> List[Message]:
        sock = self._socket
        selector = self._selector
        assert sock is not None and selector is not None
        outgoing = memoryview(b"".join(frames))
        sent = 0
        responses: List[Optional[Message]] = [None] * len(frames)
        pending = dict(expected)
        deadline = time.monotonic() + self.timeout
        writing = False
        while pending:
            want_write = sent < len(outgoing)
            if want_write != writing:
                events = selectors.EVENT_READ | (selectors.EVENT_WRITE if want_write else 0)
                selector.modify(sock, events)
                writing = want_write
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ClientTimeoutError(
                    "%s:%s did not answer within %gs" % (self.host, self.port, self.timeout))
            for _key, mask in selector.select(remaining):
                if mask & selectors.EVENT_WRITE and sent < len(outgoing):
                    try:
                        count = sock.send(outgoing[sent:])
                    except (BlockingIOError, InterruptedError):
                        count = 0
                    if count:
                        sent += count
                        deadline = time.monotonic() + self.timeout
                if mask & selectors.EVENT_READ:
                    try:
                        data = sock.recv(_RECV_BYTES)
                    except (BlockingIOError, InterruptedError):
                        continue
                    if not data:
                        raise ClientConnectionError(
                            "%s:%s closed the connection" % (self.host, self.port))
                    self._inbox += data
                    for frame in self._complete_frames():
                        self._accept(frame, pending, responses)
                        deadline = time.monotonic() + self.timeout
        if writing:
            selector.modify(sock, selectors.EVENT_READ)
        return [response for response in responses if response is not None]

    def _complete_frames(self) -> Iterator[codec.Frame]:
        inbox = self._inbox
        while len(inbox) >= 4:
            length = codec.decode_frame_header(bytes(inbox[:4]))
            if len(inbox) < 4 + length:
                return
            opcode, request_id = struct.unpack(">BI", bytes(inbox[4:9]))
            payload = bytes(inbox[9:4 + length])
            del inbox[:4 + length]
            yield codec.Frame(opcode, request_id, payload)

    def _accept(self, frame: codec.Frame, pending: Dict[int, Tuple[int, int]],
                responses: List[Optional[Message]]) -> None:
        if frame.opcode == codec.ERROR:
            error = codec.decode_message(frame.opcode, frame.payload)
            assert isinstance(error, Error)
            if ServerError.from_code(error.code).fatal or frame.request_id == 0:
                # Fatal errors (and anything under request id 0) end the connection.
                raise ServerError.from_code(error.code, error.message)
        slot = pending.pop(frame.request_id, None)
        if slot is None:
            raise ProtocolError("a response (opcode 0x%02x) under request id %d, which is not outstanding"
                                % (frame.opcode, frame.request_id))
        index, success_opcode = slot
        if frame.opcode == codec.ERROR:
            responses[index] = error
            return
        if frame.opcode != success_opcode:
            raise ProtocolError("expected opcode 0x%02x for request %d, got 0x%02x"
                                % (success_opcode, frame.request_id, frame.opcode))
        responses[index] = codec.decode_message(frame.opcode, frame.payload)

    # ------------------------------------------------------------------ requests

    def ping(self, data: bytes = b"") -> float:
        """Round-trips PING; returns the round-trip time in seconds."""
        started = time.monotonic()
        response = self._request(Ping(bytes(data)))
        elapsed = time.monotonic() - started
        assert isinstance(response, PingOk)
        if response.data != bytes(data):
            self._fail("PING_OK did not echo the PING's data")
            raise ProtocolError("PING_OK did not echo the PING's data")
        return elapsed

    def add(self, quote: QuoteLike, replace: bool = False) -> AddResult:
        """Adds one quote; returns its :class:`AddResult`: ``added``, ``already_present``, or,
        when a quote with these words by this speaker is stored with other metadata,
        ``differs`` (nothing changed) or with ``replace`` ``updated``.

        A rejected quote raises :class:`ValidationError` (or the :class:`ServerError` for
        ``storage_error`` / ``shutting_down``), with the result as ``error.result``.
        """
        response = self._request(Add([_as_quote(quote)], replace))
        assert isinstance(response, AddOk)
        if len(response.results) != 1:
            self._fail("ADD_OK answered one quote with %d results" % len(response.results))
            raise ProtocolError("ADD_OK answered one quote with %d results" % len(response.results))
        result = response.results[0]
        if result.rejected:
            error = ServerError.from_code(result.code, result.message)
            error.result = result  # type: ignore[attr-defined]
            raise error
        return result

    def add_many(self, quotes: Iterable[QuoteLike], batch_size: int = 1000, replace: bool = False) -> List[AddResult]:
        """Adds many quotes in pipelined ADD batches; ``results[i]`` answers ``quotes[i]``.

        Batches hold at most ``batch_size`` quotes (≤ 10000) and fit the server's
        ``max_frame_bytes``. Rejected quotes do not raise: check ``result.rejected``; one the
        client cannot even encode (a nonexistent date, a missing field) is rejected here, in
        its own result, and the others are still sent. With ``replace``, quotes stored with
        other metadata are updated (``updated``) instead of left as they are (``differs``).
        An ERROR answering a whole batch (``read_only``...) raises once every answer is in.
        """
        if not 1 <= batch_size <= codec.MAX_ADD_BATCH:
            raise InvalidInputError("batch_size must be 1 to %d" % codec.MAX_ADD_BATCH)
        local: Dict[int, AddResult] = {}
        encoded: List[bytes] = []
        positions: List[int] = []
        for index, quote in enumerate(quotes):
            try:
                encoded.append(codec.encode_quote(_as_quote(quote)))
                positions.append(index)
            except InvalidInputError as error:
                local[index] = AddResult(REJECTED, ZERO_ID, error.code or 0, error.message)
        sent = self._add_encoded(encoded, batch_size, replace) if encoded else []
        results: List[AddResult] = [AddResult(REJECTED, ZERO_ID)] * (len(positions) + len(local))
        for index, result in local.items():
            results[index] = result
        for index, result in zip(positions, sent):
            results[index] = result
        return results

    def _add_encoded(self, encoded: List[bytes], batch_size: int, replace: bool) -> List[AddResult]:
        budget = self._max_frame_bytes() - 5 - 4  # opcode, request id, list count
        batches: List[Tuple[int, int]] = []
        start, size = 0, 0
        for index, data in enumerate(encoded):
            if len(data) > budget:
                raise InvalidInputError("quote %d encodes to %d bytes, more than a frame holds" % (index, len(data)))
            if index > start and (index - start >= batch_size or size + len(data) > budget):
                batches.append((start, index))
                start, size = index, 0
            size += len(data)
        batches.append((start, len(encoded)))
        responses = self._exchange([codec.EncodedAdd(encoded[low:high], replace) for low, high in batches])
        results: List[AddResult] = []
        first_error: Optional[Error] = None
        for (low, high), response in zip(batches, responses):
            if isinstance(response, Error):
                first_error = first_error or response
                continue
            assert isinstance(response, AddOk)
            if len(response.results) != high - low:
                self._fail("ADD_OK count mismatch")
                raise ProtocolError("ADD_OK answered %d quotes with %d results" % (high - low, len(response.results)))
            results.extend(response.results)
        if first_error is not None:
            raise ServerError.from_code(first_error.code, first_error.message)
        return results

    def get(self, id_or_prefix: IdLike) -> ArchivedQuote:
        """The live quote with this id, or the one whose id starts with this prefix (≥ 6 hex)."""
        response = self._request(Get(id_hex(id_or_prefix)))
        assert isinstance(response, GetOk)
        return response.quote

    def edit(
        self,
        id_or_prefix: IdLike,
        text: Optional[str] = None,
        speaker: Optional[str] = None,
        date: Any = ...,
        source: Any = ...,
        lang: Any = ...,
        tags: Optional[Iterable[str]] = None,
        add_tags: Iterable[str] = (),
        remove_tags: Iterable[str] = (),
    ) -> EditOk:
        """Changes fields of a stored quote in one durable write; returns ``EditOk``:
        ``result`` (an :class:`AddResult` for the new quote) and ``previous`` (the id edited).

        Date, source, lang and tags are metadata: the id stays (``result.status`` is
        ``updated``, or ``already_present`` when nothing changed). A new ``text`` or
        ``speaker`` is a new quote with a new id; the server stores it and deletes the old
        id in the same batch. Pass ``None`` for ``date``, ``source`` or ``lang`` to remove
        it; ``tags`` replaces every tag; ``add_tags`` and ``remove_tags`` adjust them.
        """
        stored = self.get(id_or_prefix)
        quote = stored.quote
        new_tags = list(quote.tags) if tags is None else list(tags)
        removed = {tag.lower() for tag in remove_tags}
        new_tags = [tag for tag in new_tags + list(add_tags) if tag.lower() not in removed]
        replacement = Quote(
            text if text is not None else quote.text,
            speaker if speaker is not None else quote.speaker,
            quote.date if date is ... else date,
            quote.source if source is ... else source,
            quote.lang if lang is ... else lang,
            new_tags,
        )
        response = self._request(Edit(stored.id, replacement))
        assert isinstance(response, EditOk)
        if response.result.rejected:
            error = ServerError.from_code(response.result.code, response.result.message)
            error.result = response.result  # type: ignore[attr-defined]
            raise error
        return response

    def delete(self, id_or_prefix: IdLike) -> str:
        """Deletes the live quote with this id or unique prefix; returns its full id."""
        response = self._request(Delete(id_hex(id_or_prefix)))
        assert isinstance(response, DeleteOk)
        return response.id

    def search_page(
        self,
        speaker: Optional[str] = None,
        date_from: DateLike = None,
        date_to: DateLike = None,
        words: Optional[str] = None,
        tags: Optional[Iterable[str]] = None,
        lang: Optional[str] = None,
        page_size: int = 100,
        cursor: bytes = b"",
        *,
        filter: Optional[SearchFilter] = None,
    ) -> SearchPage:
        """One page of matches (at most ``page_size``, 1 to 1000) after ``cursor``.

        Pass the page's ``cursor`` back, with the same filter, for the next page; an empty
        cursor (``page.has_more`` false) means the last page. The server ends a page early
        past about 512 KiB of quotes, or when a slow query used up its work budget (the page
        may then be empty), so a short page is not the end: only the cursor says.
        """
        if filter is None:
            filter = SearchFilter.make(speaker, date_from, date_to, words, tags, lang)
        response = self._request(Search(filter, page_size, bytes(cursor)))
        assert isinstance(response, SearchOk)
        return response

    def search(
        self,
        speaker: Optional[str] = None,
        date_from: DateLike = None,
        date_to: DateLike = None,
        words: Optional[str] = None,
        tags: Optional[Iterable[str]] = None,
        lang: Optional[str] = None,
        page_size: int = 100,
        *,
        filter: Optional[SearchFilter] = None,
    ) -> Iterator[ArchivedQuote]:
        """Every match, in order (by date, undated last, then id), fetched page by page.

        ``page_size`` as in :meth:`search_page`: the default (100) is always safe.
        """
        if filter is None:
            filter = SearchFilter.make(speaker, date_from, date_to, words, tags, lang)
        return self._pages(filter, page_size)

    def count(
        self,
        speaker: Optional[str] = None,
        date_from: DateLike = None,
        date_to: DateLike = None,
        words: Optional[str] = None,
        tags: Optional[Iterable[str]] = None,
        lang: Optional[str] = None,
        *,
        filter: Optional[SearchFilter] = None,
    ) -> int:
        """How many live quotes match, as :meth:`search` would list them (COUNT)."""
        if filter is None:
            filter = SearchFilter.make(speaker, date_from, date_to, words, tags, lang)
        response = self._request(Count(filter))
        assert isinstance(response, CountOk)
        return response.count

    def _pages(self, filter: SearchFilter, page_size: int) -> Iterator[ArchivedQuote]:
        cursor = b""
        while True:
            page = self.search_page(page_size=page_size, cursor=cursor, filter=filter)
            yield from page.quotes
            if not page.cursor:
                return
            cursor = page.cursor

    def random(
        self,
        speaker: Optional[str] = None,
        date_from: DateLike = None,
        date_to: DateLike = None,
        words: Optional[str] = None,
        tags: Optional[Iterable[str]] = None,
        lang: Optional[str] = None,
        *,
        filter: Optional[SearchFilter] = None,
        day: int = 0,
    ) -> ArchivedQuote:
        """A quote drawn at random among the matches (:class:`NotFoundError` when none)."""
        if filter is None:
            filter = SearchFilter.make(speaker, date_from, date_to, words, tags, lang)
        response = self._request(Random(filter, day))
        assert isinstance(response, RandomOk)
        return response.quote

    def today(
        self,
        speaker: Optional[str] = None,
        date_from: DateLike = None,
        date_to: DateLike = None,
        words: Optional[str] = None,
        tags: Optional[Iterable[str]] = None,
        lang: Optional[str] = None,
        *,
        filter: Optional[SearchFilter] = None,
        day: Union[int, datetime.date, None] = None,
    ) -> ArchivedQuote:
        """The quote of the day among the matches: the same for everyone all UTC day.

        ``day`` is days since 1970-01-01 UTC or a date; None means today (UTC).
        """
        if day is None:
            number = day_number()
        elif isinstance(day, datetime.date):
            number = day_number(day)
        else:
            number = int(day)
        if number <= 0:
            raise InvalidInputError("the day of the quote of the day must be after 1970-01-01")
        return self.random(filter=filter or SearchFilter.make(speaker, date_from, date_to, words, tags, lang),
                           day=number)

    def stats(self) -> Dict[str, Union[int, str]]:
        """The server's counters by name (``quotes.live``, ``node.id``...)."""
        response = self._request(Stats())
        assert isinstance(response, StatsOk)
        return {entry.name: entry.value for entry in response.entries}

    def digest(self) -> Tuple[int, str]:
        """``(live_count, digest hex)``: the archive's order-independent fingerprint of its
        live quotes and their metadata, equal between archives that hold the same quotes.
        :meth:`digests` also gives the digest of the winning ops."""
        response = self._request(Digest())
        assert isinstance(response, DigestOk)
        return response.live_count, response.digest

    def digests(self) -> DigestOk:
        """The whole DIGEST_OK: ``live_count``, ``digest`` (content) and ``ops_digest``."""
        response = self._request(Digest())
        assert isinstance(response, DigestOk)
        return response

    def speakers(self, query: str = "", limit: int = 20) -> Tuple[int, List[Tuple[str, int]]]:
        """``(matching, [(name, quotes)])``: the speakers whose names have every word of
        ``query`` (the last a prefix when it ends in ``*``, as in ``zucker*``), most quotes
        first, at most ``limit`` (1 to 1000), and how many matched in all."""
        response = self._request(Speakers(query, limit))
        assert isinstance(response, SpeakersOk)
        return response.matching, [(speaker.name, speaker.quotes) for speaker in response.speakers]

    def digest_range(self, prefix: bytes = b"") -> DigestRangeOk:
        """DIGEST_RANGE: the live count and content digest of the quotes whose ids start
        with ``prefix`` (0 to 16 bytes), with its 256 ``parts`` or, when small, its ``entries``."""
        response = self._request(DigestRange(bytes(prefix)))
        assert isinstance(response, DigestRangeOk)
        return response

    def diff(self, other: "Client") -> List[Tuple[str, str]]:
        """What this archive and ``other`` hold differently, as ``(id, status)`` in id order;
        status is ``only_in_a`` (here only), ``only_in_b`` (there only) or ``differs``
        (other metadata). Descends by DIGEST_RANGE into the ranges whose digests differ,
        as ``quotes diff`` does (PROTOCOL.md §6, DIGEST_RANGE)."""
        found: List[Tuple[str, str]] = []
        pending: List[bytes] = [b""]
        while pending:
            prefix = pending.pop()
            mine, theirs = self.digest_range(prefix), other.digest_range(prefix)
            if mine.live_count == theirs.live_count and mine.digest == theirs.digest:
                continue
            if mine.entries is not None and theirs.entries is not None:
                their_terms = {entry.id: entry.term for entry in theirs.entries}
                my_ids = {entry.id for entry in mine.entries}
                for entry in mine.entries:
                    if entry.id not in their_terms:
                        found.append((entry.id, "only_in_a"))
                    elif their_terms[entry.id] != entry.term:
                        found.append((entry.id, "differs"))
                found += [(entry.id, "only_in_b") for entry in theirs.entries if entry.id not in my_ids]
                continue
            for byte in range(256):
                if _part_differs(mine, theirs, prefix, byte):
                    pending.append(prefix + bytes([byte]))
        return sorted(found)

    def changes(self, since: int = 0, max_ops: int = 1000) -> ChangesPage:
        """One page of the log's ops after sequence ``since`` (``page.caught_up`` when done)."""
        response = self._request(Changes(since, max_ops, False))
        assert isinstance(response, ChangesOk)
        return response

    def iter_changes(self, since: int = 0, max_ops: int = 1000) -> Iterator[SequencedOp]:
        """Every op after ``since``, page by page, until caught up."""
        while True:
            page = self.changes(since, max_ops)
            yield from page.ops
            if page.caught_up:
                return
            since = page.ops[-1].sequence

    def apply(self, ops: Iterable[Op]) -> int:
        """Hands the server ops from another archive; returns how many it appended."""
        response = self._request(Apply(list(ops)))
        assert isinstance(response, ApplyOk)
        return response.appended


def connect(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, timeout: float = DEFAULT_TIMEOUT) -> Client:
    """The same as ``Client(host, port, timeout)``."""
    return Client(host, port, timeout)


def parse_server(text: str, default_port: int = DEFAULT_PORT) -> Tuple[str, int]:
    """``(host, port)`` from ``HOST:PORT``, ``[IPV6]:PORT`` or ``HOST`` (as ``QUOTES_SERVER`` holds)."""
    text = text.strip()
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port_text = rest[1:] if rest.startswith(":") else ""
    elif text.count(":") == 1:
        host, port_text = text.split(":")
    else:
        host, port_text = text, ""
    try:
        port = int(port_text) if port_text else default_port
    except ValueError:
        raise InvalidInputError("invalid server %r: expected HOST:PORT" % text) from None
    if not host or not 0 < port < 65536:
        raise InvalidInputError("invalid server %r: expected HOST:PORT" % text)
    return host, port


__all__ = [
    "Client", "SearchPage", "ChangesPage", "connect", "parse_server", "CLIENT_NAME",
    "DEFAULT_HOST", "DEFAULT_PORT", "DEFAULT_TIMEOUT",
]


def _part_differs(mine: DigestRangeOk, theirs: DigestRangeOk, prefix: bytes, byte: int) -> bool:
    """Whether the sub-range ``prefix + byte`` may differ: both split and its parts differ,
    or one side is listed and either side has quotes in it."""
    def part(side: DigestRangeOk) -> Tuple[int, str]:
        if side.parts is not None:
            return side.parts[byte].live_count, side.parts[byte].digest
        inside = [entry for entry in side.entries or [] if bytes.fromhex(entry.id)[len(prefix)] == byte]
        return len(inside), "listed" if inside else ""
    left, right = part(mine), part(theirs)
    if mine.parts is not None and theirs.parts is not None:
        return left != right
    return left[0] > 0 or right[0] > 0
