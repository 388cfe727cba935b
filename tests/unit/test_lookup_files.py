"""read_places and guess_coordinates: French files read whole, every row kept with its line number."""

from __future__ import annotations

from pathlib import Path

import pytest

from erbm_geo.errors import DataFormatError, EmptyInputError, MissingColumnError
from erbm_geo.lookup.files import EXTRA, guess_coordinates, read_places


def _write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    p = tmp_path / "f.csv"
    p.write_bytes(text.encode(encoding))
    return p


def test_line_numbers_survive_quoted_line_breaks_and_blank_lines(tmp_path: Path) -> None:
    text = 'id;note;lat;lon\n1;"deux\nlignes";50,1;2,1\n\n2;x;50,2;2,2\n3;court\n4;a;50;2;b;c\n'
    t = read_places(_write(tmp_path, text))
    assert t.index.tolist() == [2, 5, 6, 7] and t.index.name == "ligne"
    assert t.at[2, "note"] == "deux\nlignes" and t.at[6, "lat"] == "" and t.at[7, EXTRA] == "b;c"
    assert t.attrs["padded"] == [6] and t.attrs["extra"] == [7] and t.attrs["separator"] == ";"


@pytest.mark.parametrize(
    ("encoding", "sep"), [("utf-8-sig", ","), ("cp1252", ";"), ("utf-8", "\t"), ("utf-8", "|")]
)
def test_encodings_and_separators_are_detected(tmp_path: Path, encoding: str, sep: str) -> None:
    text = (
        sep.join(["code", "Commune", "lat", "lon"])
        + "\n"
        + sep.join(["02691", "Liévin", "50.4", "2.8"])
        + "\n"
    )
    t = read_places(_write(tmp_path, text, encoding))
    assert t.columns.tolist() == ["code", "Commune", "lat", "lon"] and t.at[2, "Commune"] == "Liévin"
    assert t.at[2, "code"] == "02691" and EXTRA not in t


@pytest.mark.parametrize(
    ("text", "error", "match"),
    [
        ("", EmptyInputError, "is empty"),
        ("  \n\n", EmptyInputError, "is empty"),
        ("a;b\n\n\n", EmptyInputError, "no row"),
        ("a;;b\n1;2;3\n", DataFormatError, "empty column name"),
        ("a;a\n1;2\n", DataFormatError, "repeats"),
        (f"a;{EXTRA}\n1;2\n", DataFormatError, "reserves"),
        ("a;b\n1;\x00\n", DataFormatError, "NUL"),
    ],
)
def test_broken_files_are_refused_by_name(
    tmp_path: Path, text: str, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        read_places(_write(tmp_path, text))


def test_coordinate_columns_are_found_or_asked_for(tmp_path: Path) -> None:
    t = read_places(_write(tmp_path, "id;LAT;Lng\n1;50;2\n"))
    assert guess_coordinates(t) == ("LAT", "Lng")
    assert guess_coordinates(t, lat="LAT", lon="id") == ("LAT", "id")
    with pytest.raises(MissingColumnError, match="no column 'Y'"):
        guess_coordinates(t, lat="Y")
    two = read_places(_write(tmp_path, "lat;latitude;lon\n1;2;3\n"))
    with pytest.raises(MissingColumnError, match="several latitude columns"):
        guess_coordinates(two)
    one = read_places(_write(tmp_path, "id,lat;lon\n1,50;2\n"), sep="|")
    with pytest.raises(MissingColumnError, match="separator '\\|': if that is wrong, give --sep"):
        guess_coordinates(one)
