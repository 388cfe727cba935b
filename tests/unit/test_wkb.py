"""The WKB structure walk (erbm_geo.geom.wkb) against WKB written byte by byte: every flavour of
type code (ISO Z/M/ZM, EWKB flags and SRID), both byte orders, exact depths, and each way a blob
can be broken — named, never misread."""

from __future__ import annotations

import struct

import numpy as np
import pyarrow as pa
import pytest
import shapely
from hypothesis import example, given
from hypothesis import strategies as st

from erbm_geo.errors import NestingError
from erbm_geo.geom.wkb import MAX_DEPTH, _top_types, _walk, check_wkb

EWKB_Z, EWKB_M, EWKB_SRID = 0x80000000, 0x40000000, 0x20000000


def head(code: int, order: str = "<", srid: int | None = None) -> bytes:
    flag = bytes([1 if order == "<" else 0])
    if srid is None:
        return flag + struct.pack(order + "I", code)
    return flag + struct.pack(order + "I", code | EWKB_SRID) + struct.pack(order + "I", srid)


def point(dims: int, code: int, order: str = "<", srid: int | None = None) -> bytes:
    return head(code, order, srid) + struct.pack(order + "d" * dims, *range(dims))


def line(dims: int, code: int, n: int = 2, order: str = "<") -> bytes:
    return (
        head(code, order)
        + struct.pack(order + "I", n)
        + struct.pack(order + "d" * dims * n, *range(dims * n))
    )


def polygon(dims: int, code: int, rings: tuple[int, ...] = (4, 4), order: str = "<") -> bytes:
    out = head(code, order) + struct.pack(order + "I", len(rings))
    for k in rings:
        out += struct.pack(order + "I", k) + struct.pack(order + "d" * dims * k, *range(dims * k))
    return out


def collection(parts: list[bytes], code: int = 7, order: str = "<", srid: int | None = None) -> bytes:
    return head(code, order, srid) + struct.pack(order + "I", len(parts)) + b"".join(parts)


def as_form(blobs: list[bytes | None], form: str) -> object:
    """The blobs as a list, or as the pyarrow column a GeoParquet file gives (binary, large
    binary, or a slice of a longer array: its buffers start before the rows)."""
    if form == "list":
        return blobs
    kind = pa.binary() if form != "large_binary" else pa.large_binary()
    if form == "sliced":
        return pa.array([point(2, 1), None, *blobs, b"\x01"], type=kind).slice(2, len(blobs))
    return pa.array(blobs, type=kind)


FORMS = ["list", "binary", "large_binary", "sliced"]


# (dims, point code, line code, polygon code): 2D, ISO Z, ISO M, ISO ZM, EWKB Z, EWKB M, EWKB ZM
FLAVOURS = [
    (2, 1, 2, 3),
    (3, 1001, 1002, 1003),
    (3, 2001, 2002, 2003),
    (4, 3001, 3002, 3003),
    (3, 1 | EWKB_Z, 2 | EWKB_Z, 3 | EWKB_Z),
    (3, 1 | EWKB_M, 2 | EWKB_M, 3 | EWKB_M),
    (4, 1 | EWKB_Z | EWKB_M, 2 | EWKB_Z | EWKB_M, 3 | EWKB_Z | EWKB_M),
]


@pytest.mark.parametrize("order", ["<", ">"])
@pytest.mark.parametrize(("dims", "p", "ln", "pg"), FLAVOURS)
def test_every_flavour_is_walked_to_its_end(dims: int, p: int, ln: int, pg: int, order: str) -> None:
    """A part misread by one coordinate or four bytes would leave the walk misaligned: the
    collection's next part and its end must still be found exactly."""
    parts = [
        point(dims, p, order),
        line(dims, ln, 3, order),
        polygon(dims, pg, (4, 5), order),
        point(dims, p, order),
    ]
    assert _walk(collection(parts, order=order)) == 2
    assert _walk(collection([collection(parts, 7, order)], order=order)) == 3
    check_wkb([collection(parts, order=order)])
    with_srid = collection([point(dims, p, order, srid=2154), point(dims, p, order)], order=order, srid=2154)
    assert _walk(with_srid) == 2


def test_shapely_s_own_wkb_agrees() -> None:
    g = shapely.from_wkt(
        "GEOMETRYCOLLECTION (POINT Z (1 2 3), MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0))), "
        "GEOMETRYCOLLECTION (LINESTRING (0 0, 1 1), "
        "POLYGON ((0 0, 2 0, 2 2, 0 0), (0.5 0.5, 1 0.5, 1 1, 0.5 0.5))))"
    )
    for flavor in ("iso", "extended"):
        assert _walk(shapely.to_wkb(g, flavor=flavor, output_dimension=3)) == 3
    assert _walk(shapely.to_wkb(shapely.set_srid(g, 2154), flavor="extended", include_srid=True)) == 3
    assert _walk(shapely.to_wkb(g, byte_order=0)) == 3


@given(st.integers(0, MAX_DEPTH + 3))
@example(MAX_DEPTH - 2)  # exactly at the limit: accepted
@example(MAX_DEPTH - 1)  # one level past it: refused
def test_depth_is_exact_and_the_limit_is_inclusive(extra: int) -> None:
    blob = collection([point(2, 1)])
    for _ in range(extra):
        blob = collection([blob, point(2, 1)])
    depth = extra + 2  # the collection is level 1, its point level 2
    assert _walk(blob) == min(depth, MAX_DEPTH + 1)  # the walk stops one level past the limit
    if depth <= MAX_DEPTH:
        check_wkb([blob])
    else:
        with pytest.raises(NestingError, match=f"deeper than {MAX_DEPTH} levels"):
            check_wkb([blob])


def test_at_the_limit_the_rest_is_still_checked() -> None:
    blob = collection([point(2, 1)])
    for _ in range(MAX_DEPTH - 2):
        blob = collection([blob])
    assert _walk(blob) == MAX_DEPTH
    with pytest.raises(NestingError, match="bytes after the geometry"):
        check_wkb([blob + b"\x00"])


@pytest.mark.parametrize(
    ("blob", "message"),
    [
        (collection([point(2, 1)])[:-1], "truncated"),
        (collection([point(2, 1)]) + b"\x00\x00", "2 bytes after the geometry"),
        (collection([bytes([2]) + point(2, 1)[1:]]), "byte order 2 at byte 9"),
        (collection([head(17) + b"\x00" * 8]), "geometry type 17"),
        (head(7) + struct.pack("<I", 10**6), "1000000 parts announced in 9 bytes"),
        (collection([head(2) + struct.pack("<I", 0xFFFFFFFF)]), "truncated coordinates"),
        (
            collection([head(3) + struct.pack("<I", 1) + struct.pack("<I", 0xFFFFFFFF)]),
            "truncated coordinates",
        ),
        (collection([head(7) + struct.pack("<I", 0xFFFFFFFF)]), "parts announced"),
        (collection([head(1)]), "truncated coordinates"),  # a header that ends the blob
        (  # rings: unsigned
            collection([head(3) + struct.pack("<I", 0xFFFFFFFF)]),
            "rows ['b']: truncated: a count runs past the end of the geometry)",
        ),
        (head(7) + struct.pack("<I", 9), "truncated header"),  # 9 parts in 9 bytes: none fits
        (head(7)[:3], "truncated"),
    ],
)
@pytest.mark.parametrize("form", FORMS)
def test_each_broken_structure_is_named(blob: bytes, message: str, form: str) -> None:
    with pytest.raises(NestingError, match="broken WKB structure") as err:
        check_wkb(as_form([None, blob], form), labels=["a", "b"])
    assert message in str(err.value) and "['b']" in str(err.value)


@pytest.mark.parametrize("form", FORMS)
def test_only_collections_are_walked_and_rows_are_named(form: str) -> None:
    deep = collection([point(2, 1)])
    for _ in range(MAX_DEPTH + 1):
        deep = collection([deep])
    broken = bytes([1]) + struct.pack("<I", 1) + b"\x00"  # a point cut short: GEOS's to judge
    check_wkb(as_form([broken, None, b"", point(2, 1), line(2, 2)], form))
    with pytest.raises(NestingError, match=r"1 geometry\(ies\) are nested deeper.*\[2\]"):
        check_wkb(as_form([point(2, 1), None, deep], form))
    for code in (4, 5, 6):  # multi-point, multi-line, multi-polygon are walked too
        with pytest.raises(NestingError, match="broken"):
            check_wkb(as_form([head(code, ">") + struct.pack(">I", 2) + point(2, 1, ">")], form))


@given(
    st.lists(
        st.one_of(
            st.none(),
            st.binary(max_size=12),
            st.builds(
                lambda o, c, t: bytes([o]) + struct.pack("<I", c) + t,
                st.integers(0, 2),
                st.sampled_from([1, 7, 1003, 3006, 7 | EWKB_SRID, 10**6]),
                st.binary(max_size=4),
            ),
        ),
        max_size=30,
    ),
    st.sampled_from(FORMS[1:]),
)
def test_a_pyarrow_column_is_typed_as_its_python_blobs(blobs: list[bytes | None], form: str) -> None:
    """The type codes read from a GeoParquet column's buffers (offsets, data, validity) are
    those read from the same blobs as Python bytes: short blobs, empty ones, missing ones, any
    byte order byte, a slice whose buffers start before its rows."""
    np.testing.assert_array_equal(_top_types(as_form(blobs, form)), _top_types(blobs))  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", [pa.binary(), pa.large_binary()])
def test_a_pyarrow_column_built_from_buffers(kind: pa.DataType) -> None:
    """Arrow lets a missing row's offsets span bytes (here a whole collection): a missing row
    has no type, whatever lies under it; rows all empty or missing have an empty data buffer."""
    wide = np.int64 if kind == pa.large_binary() else np.int32
    blob = collection([point(2, 1)])
    offsets = pa.py_buffer(np.array([0, len(blob), 2 * len(blob)], dtype=wide).tobytes())
    validity = pa.py_buffer(np.packbits([0, 1], bitorder="little").tobytes())  # row 0 missing
    masked = pa.Array.from_buffers(kind, 2, [validity, offsets, pa.py_buffer(blob + blob)])
    masked.validate(full=True)
    assert masked.to_pylist() == [None, blob]
    assert _top_types(masked).tolist() == [0, 7]  # type: ignore[arg-type]
    nothing = pa.py_buffer(np.zeros(3, dtype=wide).tobytes())
    for valid in (None, pa.py_buffer(np.packbits([1, 0], bitorder="little").tobytes())):
        empty = pa.Array.from_buffers(kind, 2, [valid, nothing, pa.py_buffer(b"")])
        assert _top_types(empty).tolist() == [0, 0]  # type: ignore[arg-type]
        check_wkb(empty)  # type: ignore[arg-type]


def test_the_layer_is_named_layer_by_default() -> None:
    with pytest.raises(NestingError, match=r"^layer: 1 geometry\(ies\) have a broken WKB structure"):
        check_wkb([head(7)[:3]])


@pytest.mark.parametrize("order", [2, 7, 255])
@pytest.mark.parametrize("form", FORMS)
def test_a_first_byte_that_is_no_byte_order_is_refused(order: int, form: str) -> None:
    """GEOS reads a blob whatever its first byte (a collection starting with 2 parses), so a
    deep collection behind such a byte would crash the process: any blob whose first byte is no
    byte order is refused, a point as a collection."""
    deep = collection([point(2, 1)])
    for _ in range(MAX_DEPTH):
        deep = collection([deep])
    for blob in (deep, point(2, 1), collection([point(2, 1)])):
        bad = bytes([order]) + blob[1:]
        with pytest.raises(NestingError, match=rf"\['b'\]: byte order {order} at byte 0\)"):
            check_wkb(as_form([None, bad], form), labels=["a", "b"])


def test_an_iso_multipoint_z_is_walked_like_any_collection() -> None:
    """ISO codes carry the dimensions in their thousands (1004: MultiPoint Z): a broken one is
    named before GEOS reads it."""
    mp = shapely.to_wkb(shapely.MultiPoint([(0, 0, 1), (1, 1, 2)]), flavor="iso", output_dimension=3)
    assert struct.unpack("<I", mp[1:5])[0] == 1004
    check_wkb([mp])
    with pytest.raises(NestingError, match="broken WKB structure"):
        check_wkb([mp[:-3]])
