"""The spec's §8 wire-bounds table and the codec's named bounds agree, row for row."""

from __future__ import annotations

import pathlib
import re

from quotearchive import codec

SPEC = pathlib.Path(__file__).resolve().parents[3] / "Protocol" / "PROTOCOL.md"

#: Each row of the table, (where, field), and the codec constant that enforces it.
CONSTANTS = {
    ("Quote", "text"): "MAX_QUOTE_TEXT",
    ("Quote", "speaker"): "MAX_QUOTE_SPEAKER",
    ("Quote", "source"): "MAX_QUOTE_SOURCE",
    ("Quote", "lang"): "MAX_QUOTE_LANG",
    ("Quote", "tags"): "MAX_QUOTE_TAGS",
    ("Quote", "tag"): "MAX_QUOTE_TAG",
    ("HELLO, HELLO_OK", "client_name, server_name"): "MAX_NAME",
    ("HELLO, HELLO_OK", "authentication, server_nonce"): "MAX_AUTHENTICATION",
    ("AUTH, AUTH_OK", "token_name, client_nonce, proof, server_proof"): "MAX_AUTH_FIELD",
    ("GET, DELETE, EDIT", "id"): "MAX_ID_TEXT",
    ("SearchFilter", "speaker"): "MAX_FILTER_SPEAKER",
    ("SearchFilter", "words"): "MAX_FILTER_WORDS",
    ("SearchFilter", "tags"): "MAX_FILTER_TAGS",
    ("SearchFilter", "tag"): "MAX_FILTER_TAG",
    ("SearchFilter", "lang"): "MAX_FILTER_LANG",
    ("SEARCH, SEARCH_OK", "cursor"): "MAX_CURSOR",
    ("AddResult", "message"): "MAX_ADD_MESSAGE",
    ("STATS_OK", "entries"): "MAX_STAT_ENTRIES",
    ("STATS_OK", "name"): "MAX_STAT_NAME",
    ("STATS_OK", "text value"): "MAX_STAT_TEXT",
    ("ERROR", "message"): "MAX_ERROR_MESSAGE",
    ("frame (server side)", "length"): "DEFAULT_MAX_FRAME_BYTES",
    ("ADD", "quotes"): "MAX_ADD_BATCH",
    ("SEARCH", "limit"): "MAX_SEARCH_LIMIT",
    ("DIGEST_RANGE", "prefix"): "MAX_DIGEST_RANGE_PREFIX",
    ("DIGEST_RANGE_OK", "entries"): "MAX_DIGEST_RANGE_ENTRIES",
    ("SPEAKERS", "query"): "MAX_SPEAKERS_QUERY",
    ("SPEAKERS", "limit"): "MAX_SPEAKERS_LIMIT",
    ("SPEAKERS_OK", "speakers"): "MAX_SPEAKERS_LISTED",
    ("SPEAKERS_OK", "name"): "MAX_SPEAKER_NAME",
}


def specified_bounds() -> dict[tuple[str, str], int]:
    text = SPEC.read_text(encoding="utf-8")
    section = text[text.index("## 8. Limits"):]
    section = section[section.index("Wire bounds"):section.index("## 9.")]
    bounds = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) != 3 or cells[0] in ("where", "") or cells[0].startswith("-"):
            continue
        bounds[(cells[0], cells[1].replace("`", ""))] = int(re.match(r"\d+", cells[2]).group())
    return bounds


def test_every_row_of_the_spec_table_is_a_named_codec_bound_with_the_same_value():
    specified = specified_bounds()
    assert set(specified) == set(CONSTANTS)
    for row, value in specified.items():
        assert getattr(codec, CONSTANTS[row]) == value, row
