"""The Python folding agrees with the protocol's table and word vectors, case by case."""

from __future__ import annotations

import json
import pathlib

from quotearchive import folding

PROTOCOL = pathlib.Path(__file__).resolve().parents[3] / "Protocol" / "folding"


def test_the_packaged_table_is_the_protocols_table() -> None:
    packaged = json.loads(pathlib.Path(folding.__file__).with_name("folding_table.json").read_text(encoding="utf-8"))
    assert packaged == json.loads((PROTOCOL / "table.json").read_text(encoding="utf-8"))


def test_every_vector_folds_to_its_words() -> None:
    cases = json.loads((PROTOCOL / "vectors.json").read_text(encoding="utf-8"))["cases"]
    assert len(cases) >= 300
    wrong = [(case["text"], folding.fold_words(case["text"]), case["words"])
             for case in cases if folding.fold_words(case["text"]) != case["words"]]
    assert wrong == []


def test_the_letters_once_left_alone() -> None:
    assert folding.fold_words("Øre Łódź Æsir Œuvre ıspanak Đorđe Þór") == [
        "ore", "lodz", "aesir", "oeuvre", "ispanak", "dorde", "thor"]
    assert folding.fold_words("Việt, Muḥammad!") == ["viet", "muhammad"]
    assert folding.fold_words("e\u0301cole") == ["ecole"]
