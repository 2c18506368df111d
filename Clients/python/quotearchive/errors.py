"""Exceptions raised by the quote archive client.

Everything the package raises on purpose derives from :class:`QuoteArchiveError`:

- :class:`ServerError` and its subclasses: the server answered a request with ERROR
  (PROTOCOL.md §7), or rejected a quote in ADD_OK. ``code``, ``name`` and ``message``
  say what happened; programs should act on ``code``.
- :class:`ClientConnectionError` (also a built-in :class:`ConnectionError`): the
  server could not be reached, closed the connection, or did not answer in time
  (:class:`ClientTimeoutError`, also a :class:`TimeoutError`).
- :class:`ProtocolError`: the server sent bytes that break the protocol
  (:class:`DecodeError` for a payload that does not decode).
- :class:`InvalidInputError` (also a :class:`ValueError`): the client refused to send
  something the server would reject as malformed (which would close the connection),
  such as a nonexistent date or a field over its wire bound.
"""

from __future__ import annotations

from typing import Dict, Optional, Type

#: Every error code of PROTOCOL.md §7, by number.
ERROR_NAMES: Dict[int, str] = {
    100: "unsupported_version",
    101: "handshake_required",
    102: "frame_too_large",
    103: "unknown_opcode",
    104: "malformed_payload",
    105: "too_many_connections",
    106: "idle_timeout",
    200: "not_found",
    201: "ambiguous_prefix",
    202: "invalid_id",
    203: "invalid_cursor",
    204: "invalid_query",
    205: "batch_too_large",
    206: "invalid_op",
    300: "empty_text",
    301: "text_too_long",
    302: "invalid_utf8",
    303: "missing_speaker",
    304: "invalid_date",
    305: "field_too_long",
    306: "too_many_tags",
    307: "invalid_tag",
    308: "invalid_language",
    309: "control_character",
    400: "read_only",
    401: "storage_error",
    402: "shutting_down",
    403: "authentication_required",
    404: "authentication_failed",
    499: "internal_error",
}

#: The code of each name, the reverse of :data:`ERROR_NAMES`.
ERROR_CODES: Dict[str, int] = {name: code for code, name in ERROR_NAMES.items()}


def error_name(code: int) -> str:
    """The name of an error code; unknown codes (which must be carried) get ``error_NNN``."""
    return ERROR_NAMES.get(code, "error_%d" % code)


def is_fatal(code: int) -> bool:
    """Whether the server closes the connection after sending this code (1xx)."""
    return 100 <= code <= 199


class QuoteArchiveError(Exception):
    """The base of every error this package raises on purpose."""


class ClientConnectionError(QuoteArchiveError, ConnectionError):
    """The server could not be reached, or the connection broke. The client is closed."""


class ClientTimeoutError(ClientConnectionError, TimeoutError):
    """The server did not answer within the client's timeout. The client is closed."""


class ProtocolError(QuoteArchiveError):
    """The peer sent something the protocol does not allow. The client is closed."""


class DecodeError(ProtocolError, ValueError):
    """Bytes that do not decode as the expected frame, message or structure."""


class InvalidInputError(QuoteArchiveError, ValueError):
    """Refused by the client before sending: the server would find it malformed.

    ``code`` is the §7 code the server would use for the same mistake in text input when
    there is one (``invalid_date`` for a nonexistent date, ``field_too_long``...), else None.
    """

    def __init__(self, message: str, code: Optional[int] = None) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.name = error_name(code) if code is not None else None


class ServerError(QuoteArchiveError):
    """The server failed a request: ``code`` (§7), its ``name`` and an English ``message``.

    Construct with :meth:`from_code` to get the subclass for the code.
    """

    def __init__(self, code: int, message: str = "", name: Optional[str] = None) -> None:
        self.code = code
        self.name = name if name is not None else error_name(code)
        self.message = message
        super().__init__("%s [%s %d]" % (message or self.name, self.name, code))

    @property
    def fatal(self) -> bool:
        """Whether the server closed the connection after this error (codes 1xx)."""
        return is_fatal(self.code)

    @staticmethod
    def from_code(code: int, message: str = "") -> "ServerError":
        """The most specific :class:`ServerError` subclass for ``code``."""
        cls: Type[ServerError] = _BY_CODE.get(code, ServerError)
        if cls is ServerError:
            if is_fatal(code):
                cls = FatalServerError
            elif 300 <= code <= 399:
                cls = ValidationError
        return cls(code, message)


class FatalServerError(ServerError):
    """A protocol error (1xx): the server has closed the connection."""


class NotFoundError(ServerError):
    """``not_found`` (200): no live quote has that id or prefix, or nothing matches."""


class AmbiguousPrefixError(ServerError):
    """``ambiguous_prefix`` (201): the id prefix matches more than one live quote."""


class InvalidIdError(ServerError):
    """``invalid_id`` (202): the id is not 6 to 32 hex digits."""


class InvalidQueryError(ServerError):
    """``invalid_cursor`` (203), ``invalid_query`` (204) or ``batch_too_large`` (205)."""


class InvalidOpError(ServerError):
    """``invalid_op`` (206): an APPLY op's quote is not canonical or not its id's."""


class ValidationError(ServerError):
    """A quote was rejected (3xx): empty text, missing speaker, bad tag or language..."""


class ReadOnlyError(ServerError):
    """``read_only`` (400): the server refuses ADD and DELETE."""


class UnavailableError(ServerError):
    """``storage_error`` (401) or ``shutting_down`` (402): nothing was stored; retry later."""


_BY_CODE: Dict[int, Type[ServerError]] = {
    200: NotFoundError,
    201: AmbiguousPrefixError,
    202: InvalidIdError,
    203: InvalidQueryError,
    204: InvalidQueryError,
    205: InvalidQueryError,
    206: InvalidOpError,
    400: ReadOnlyError,
    401: UnavailableError,
    402: UnavailableError,
}
