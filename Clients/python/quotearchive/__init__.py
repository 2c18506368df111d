"""quotearchive: a Python client for the quote archive server ``quoted``.

Standard library only. Written from ``Protocol/PROTOCOL.md``::

    from quotearchive import Client, Quote

    with Client("127.0.0.1", 7878) as client:
        result = client.add(Quote("Simplicity is prerequisite for reliability.",
                                  "Edsger W. Dijkstra", date="1975"))
        print(result.id, result.status)
        for archived in client.search(speaker="dijkstra"):
            print(archived.date, archived.text)

Modules: :mod:`.client` (the socket client), :mod:`.codec` (frames and messages, no I/O),
:mod:`.model` (dataclasses), :mod:`.errors` (exceptions), :mod:`.canonical` (canonical
form and ids computed locally), :mod:`.storage` (the log file).
"""

from .client import (
    CLIENT_NAME,
    DEFAULT_HOST,
    DEFAULT_PORT,
    DEFAULT_TIMEOUT,
    ChangesPage,
    Client,
    SearchPage,
    connect,
    parse_server,
)
from .canonical import canonicalize, quote_id
from .codec import HelloOk
from .errors import (
    ERROR_CODES,
    ERROR_NAMES,
    AmbiguousPrefixError,
    ClientConnectionError,
    ClientTimeoutError,
    DecodeError,
    FatalServerError,
    InvalidIdError,
    InvalidInputError,
    InvalidOpError,
    InvalidQueryError,
    NotFoundError,
    ProtocolError,
    QuoteArchiveError,
    ReadOnlyError,
    ServerError,
    UnavailableError,
    ValidationError,
)
from .model import (
    AddResult,
    ArchivedQuote,
    Op,
    Quote,
    SearchFilter,
    SequencedOp,
    StatEntry,
    archive_digest,
    day_number,
    qotd_score,
)

__version__ = "0.1.0"

__all__ = [
    "CLIENT_NAME", "DEFAULT_HOST", "DEFAULT_PORT", "DEFAULT_TIMEOUT", "ChangesPage", "Client",
    "SearchPage", "connect", "parse_server", "canonicalize", "quote_id", "HelloOk", "ERROR_CODES", "ERROR_NAMES",
    "AmbiguousPrefixError", "ClientConnectionError", "ClientTimeoutError", "DecodeError",
    "FatalServerError", "InvalidIdError", "InvalidInputError", "InvalidOpError",
    "InvalidQueryError", "NotFoundError", "ProtocolError", "QuoteArchiveError", "ReadOnlyError",
    "ServerError", "UnavailableError", "ValidationError", "AddResult", "ArchivedQuote", "Op",
    "Quote", "SearchFilter", "SequencedOp", "StatEntry", "archive_digest", "day_number",
    "qotd_score", "__version__",
]
