"""Raw depth files (16-bit PNG, .npy, OpenEXR): hand-computed values and every refusal.

Headers are written byte by byte here, so the expected sizes come from the bytes, not
from the reader under test; each validation is tried on both sides of its boundary.
"""

from __future__ import annotations

import io
import os
import struct
import types

import numpy as np
import pytest
from PIL import Image

from core.depth import raw
from core.depth.raw import MM_PER_M, ExrCodec, NpyCodec, Png16Codec, _finish
from core.depth.raw_headers import EXR_MAGIC, exr_size, load_npy, read_exr_bytes
from core.errors import IrisError

# -- .npy ---------------------------------------------------------------------------------------


def npy_bytes(array: np.ndarray, version: tuple[int, int] | None = None) -> bytes:
    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, array, version=version, allow_pickle=True)
    return buffer.getvalue()


def write(tmp_path, name: str, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    "array",
    [
        np.arange(6, dtype=np.float32).reshape(2, 3),
        np.arange(6, dtype=np.int16).reshape(2, 3),
        np.array([[True, False]]),
        np.arange(24, dtype=np.uint8).reshape(2, 3, 4),  # four channels: the most allowed
        np.arange(6, dtype=np.float64).reshape(2, 3, 1),
        np.asfortranarray(np.arange(12, dtype=np.float32).reshape(3, 4)),
    ],
    ids=["float32", "int16", "bool", "4 channels", "1 channel", "fortran"],
)
def test_numeric_npy_arrays_of_2_or_3_dimensions_load_as_written(tmp_path, array):
    loaded = load_npy(write(tmp_path, "d.npy", npy_bytes(array)))
    np.testing.assert_array_equal(loaded, array)
    assert loaded.dtype == array.dtype


def test_npy_version_2_header_is_read(tmp_path):
    array = np.arange(6, dtype=np.float32).reshape(3, 2)
    assert npy_bytes(array, (2, 0))[6:8] == b"\x02\x00"
    np.testing.assert_array_equal(
        load_npy(write(tmp_path, "d.npy", npy_bytes(array, (2, 0)))), array
    )


@pytest.mark.parametrize(
    ("array", "reason"),
    [
        (np.array([[object()]], dtype=object), "holds object, not numbers"),
        (np.array([["a"]]), "not numbers"),
        (np.ones((2, 2), np.complex64), "not numbers"),
        (np.zeros((2, 2), dtype=[("a", "<f4")]), "not numbers"),
        (np.ones(5, np.float32), r"must be \(H, W\) or \(H, W, C<=4\), got \(5,\)"),
        (np.ones((2, 2, 2, 2), np.float32), "must be"),
        (np.ones((2, 2, 5), np.float32), r"got \(2, 2, 5\)"),
        (np.ones((2, 2, 0), np.float32), r"got \(2, 2, 0\)"),
        (np.ones((0, 5), np.float32), r"corrupt header \(size 5x0\)"),
        (np.ones((5, 0), np.float32), r"corrupt header \(size 0x5\)"),
    ],
    ids=[
        "object",
        "str",
        "complex",
        "record",
        "1-D",
        "4-D",
        "5 channels",
        "0 channels",
        "0 rows",
        "0 columns",
    ],
)
def test_npy_headers_that_are_not_depth_are_refused(tmp_path, array, reason):
    path = write(tmp_path, "d.npy", npy_bytes(array))
    with pytest.raises(IrisError, match=reason) as error:
        load_npy(path)
    assert str(path) in str(error.value)


def test_npy_pixel_limit_accepts_the_limit_and_refuses_one_more(tmp_path):
    path = write(tmp_path, "d.npy", npy_bytes(np.zeros((3, 4), np.float32)))  # 12 pixels
    assert load_npy(path, max_pixels=12).shape == (3, 4)
    with pytest.raises(IrisError, match=r"too-large \(4x3 = 0.0 MP"):
        load_npy(path, max_pixels=11)


def test_npy_pixel_limit_comes_from_the_environment(tmp_path, monkeypatch):
    path = write(tmp_path, "d.npy", npy_bytes(np.zeros((3, 4), np.float32)))
    monkeypatch.setenv("IRIS_MAX_PIXELS", "11")
    with pytest.raises(IrisError, match="too-large"):
        load_npy(path)
    monkeypatch.setenv("IRIS_MAX_PIXELS", "12")
    assert load_npy(path).shape == (3, 4)


def test_a_huge_declared_npy_is_refused_from_its_header(tmp_path):
    buffer = io.BytesIO()
    header = {"descr": "<f4", "fortran_order": False, "shape": (100000, 100000)}
    np.lib.format.write_array_header_1_0(buffer, header)
    path = write(tmp_path, "d.npy", buffer.getvalue() + b"\0" * 4)  # 40 GB declared, 4 B real
    with pytest.raises(IrisError, match=r"too-large \(100000x100000 = 10000.0 MP"):
        load_npy(path)
    with pytest.raises(
        IrisError, match=r"corrupt .npy \(4 data bytes for shape \(100000, 100000\)"
    ):
        load_npy(path, max_pixels=10**10)  # within the limit: then the real size refuses it


@pytest.mark.parametrize("change", [-1, 1], ids=["one byte short", "one byte over"])
def test_npy_data_must_be_exactly_the_declared_size(tmp_path, change):
    data = npy_bytes(np.zeros((2, 3), np.float32))  # 24 data bytes
    data = data[:-1] if change < 0 else data + b"\0"
    with pytest.raises(IrisError, match=f"corrupt .npy \\({24 + change} data bytes for shape"):
        load_npy(write(tmp_path, "d.npy", data))


@pytest.mark.parametrize(
    "data",
    [b"", b"not a numpy file at all", b"\x93NUMPY\x01\x00\x10\x00{'descr': <f4'}     \n"],
    ids=["empty", "text", "broken header"],
)
def test_files_that_are_not_npy_are_refused(tmp_path, data):
    with pytest.raises(IrisError, match="not a .npy file"):
        load_npy(write(tmp_path, "d.npy", data))


def test_missing_paths_directories_and_fifos_are_refused(tmp_path):
    with pytest.raises(IrisError, match="cannot read"):
        load_npy(tmp_path / "missing.npy")
    (tmp_path / "dir.npy").mkdir()
    with pytest.raises(IrisError, match="not a regular file"):
        load_npy(tmp_path / "dir.npy")
    fifo = tmp_path / "pipe.npy"
    os.mkfifo(fifo)
    with pytest.raises(IrisError, match="not a regular file"):  # and no hang on open
        load_npy(fifo)


# -- OpenEXR headers ----------------------------------------------------------------------------


def attribute(name: bytes, kind: bytes, value: bytes, size: int | None = None) -> bytes:
    size = len(value) if size is None else size
    return name + b"\0" + kind + b"\0" + struct.pack("<i", size) + value


def box(xmin: int, ymin: int, xmax: int, ymax: int) -> bytes:
    return struct.pack("<4i", xmin, ymin, xmax, ymax)


def exr(*attributes: bytes, end: bool = True) -> bytes:
    return EXR_MAGIC + b"\x02\0\0\0" + b"".join(attributes) + (b"\0" if end else b"")


def test_exr_size_is_the_data_window_inclusive():
    header = exr(
        attribute(b"channels", b"chlist", b"Z\0" + b"\0" * 17),
        attribute(b"displayWindow", b"box2i", box(0, 0, 99, 99)),  # not the one that counts
        attribute(b"dataWindow", b"box2i", box(2, 3, 11, 7)),
    )
    assert exr_size(header, "x.exr") == (10, 5)
    assert exr_size(exr(attribute(b"dataWindow", b"box2i", box(0, 0, 0, 0))), "x") == (1, 1)


@pytest.mark.parametrize(
    "header",
    [
        exr(),  # no attributes at all
        exr(attribute(b"dataWindow", b"box2i", box(0, 0, 3, 3) + b"\0", 17)),  # wrong size
        exr(attribute(b"channels", b"chlist", b"\0" * 4)),  # ends without a dataWindow
        EXR_MAGIC + b"\x02\0\0\0dataWindow",  # a name without its NUL
        EXR_MAGIC + b"\x02\0\0\0dataWindow\0box2i",  # a type without its NUL
        EXR_MAGIC + b"\x02\0\0\0dataWindow\0box2i\0\x10\0",  # a size cut short
        exr(attribute(b"dataWindow", b"box2i", box(0, 0, 3, 3), -1)),  # negative size
        exr(attribute(b"dataWindow", b"box2i", box(0, 0, 3, 3)[:8], 16), end=False),  # cut data
        EXR_MAGIC + b"\x02\0\0\0",  # the version only
    ],
    ids=[
        "no attributes",
        "size 17",
        "no dataWindow",
        "name",
        "type",
        "size",
        "negative",
        "cut",
        "version only",
    ],
)
def test_corrupt_exr_headers_are_refused(header):
    with pytest.raises(IrisError, match=r"x.exr: corrupt OpenEXR header \(no dataWindow\)"):
        exr_size(header, "x.exr")


def test_not_exr_magic_is_refused():
    with pytest.raises(IrisError, match="not an OpenEXR file"):
        exr_size(b"v/1\x02" + b"\0" * 20, "x.exr")


def test_read_exr_bytes_checks_the_window_against_the_limit(tmp_path):
    data = exr(attribute(b"dataWindow", b"box2i", box(0, 0, 3, 2)))  # 4 x 3 = 12 pixels
    path = write(tmp_path, "d.exr", data)
    assert read_exr_bytes(path, max_pixels=12) == data
    with pytest.raises(IrisError, match=r"too-large \(4x3"):
        read_exr_bytes(path, max_pixels=11)
    empty = write(tmp_path, "e.exr", exr(attribute(b"dataWindow", b"box2i", box(5, 0, 4, 2))))
    with pytest.raises(IrisError, match=r"corrupt header \(size 0x3\)"):
        read_exr_bytes(empty)


def test_read_exr_bytes_refuses_a_file_larger_than_its_window_can_need(tmp_path):
    data = exr(attribute(b"dataWindow", b"box2i", box(0, 0, 0, 0)))  # 1 pixel: 16 B + 16 MiB
    path = write(tmp_path, "d.exr", data)
    allowed = 16 + 16 * 1024 * 1024
    with open(path, "r+b") as handle:
        handle.truncate(allowed)  # sparse: the largest file a 1-pixel window may come in
    assert len(read_exr_bytes(path)) == allowed
    with open(path, "r+b") as handle:
        handle.truncate(allowed + 1)
    with pytest.raises(IrisError, match="d.exr"):
        read_exr_bytes(path)


def test_read_exr_bytes_refuses_directories(tmp_path):
    with pytest.raises(IrisError, match="not a regular file"):
        read_exr_bytes(tmp_path)


# -- the raw codecs -----------------------------------------------------------------------------


def test_finish_takes_the_first_channel_and_refuses_other_shapes():
    three = np.arange(12, dtype=np.float64).reshape(2, 2, 3)
    decoded = _finish(three, "npy", "d.npy")
    assert decoded.depth.dtype == np.float32
    assert decoded.depth.tolist() == [[0.0, 3.0], [6.0, 9.0]]
    assert decoded.confidence is None and decoded.params == {"source": "d.npy"}
    with pytest.raises(IrisError, match=r"d.npy: raw depth must be 2-D, got shape \(4,\)"):
        _finish(np.zeros(4), "npy", "d.npy")


def test_png16_encodes_millimetres_rounded_and_clipped():
    depth = np.array([[1.2344, 1.2346, 0.0, 0.0004], [70.0, np.nan, np.inf, -np.inf]])
    mm = np.asarray(Image.open(io.BytesIO(Png16Codec().encode(depth))))
    assert mm.dtype == np.uint16
    # 0 m and 0.4 mm clip up to 1 mm (0 is "no measurement"); 70 m clips to 65535 mm
    assert mm.tolist() == [[1234, 1235, 1, 1], [65535, 0, 0, 0]]


def test_png16_decodes_millimetres_and_zero_as_no_measurement(tmp_path):
    mm = np.array([[0, 1, 1500], [65535, 250, 0]], dtype=np.uint16)
    buffer = io.BytesIO()
    Image.fromarray(mm).save(buffer, format="PNG")
    decoded = Png16Codec().decode_file(write(tmp_path, "d.png", buffer.getvalue()))
    expected = np.array([[np.nan, 0.001, 1.5], [65.535, 0.25, np.nan]], dtype=np.float32)
    np.testing.assert_array_equal(decoded.depth, expected)
    assert decoded.codec == "png16" and MM_PER_M == 1000.0


def test_png16_refuses_a_colour_png(tmp_path):
    buffer = io.BytesIO()
    Image.fromarray(np.zeros((2, 2, 3), np.uint8)).save(buffer, format="PNG")
    with pytest.raises(IrisError, match="not a single-channel 16-bit PNG"):
        Png16Codec().decode_file(write(tmp_path, "c.png", buffer.getvalue()))


def test_npy_codec_writes_float32_and_reads_integers_as_metres(tmp_path):
    data = NpyCodec().encode(np.array([[0.5, 2.0]], dtype=np.float64))
    assert np.load(io.BytesIO(data)).dtype == np.float32
    path = write(tmp_path, "i.npy", npy_bytes(np.array([[3, 4]], dtype=np.int32)))
    decoded = NpyCodec().decode_file(path)
    assert decoded.depth.dtype == np.float32 and decoded.depth.tolist() == [[3.0, 4.0]]


class FakeCv2:
    """Only the two OpenCV calls the EXR codec makes, answering as a build with OpenEXR would."""

    IMREAD_UNCHANGED, IMREAD_ANYDEPTH = -1, 2

    def __init__(self, decoded=None, encoded=None):
        self.decoded, self.seen = decoded, []
        self.encoded = (True, np.frombuffer(b"exr!", np.uint8)) if encoded is None else encoded

    def imdecode(self, data, flags):
        self.seen.append((data.tobytes(), flags))
        return self.decoded

    def imencode(self, suffix, array):
        self.seen.append((suffix, array.dtype))
        return self.encoded


def test_exr_codec_without_openexr_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(raw, "_exr_reader", lambda: None)
    with pytest.raises(IrisError, match="no OpenEXR reader"):
        ExrCodec().decode_file(tmp_path / "d.exr")
    with pytest.raises(IrisError, match="no OpenEXR writer"):
        ExrCodec().encode(np.zeros((2, 2)))


def test_exr_codec_passes_checked_bytes_to_opencv_and_reports_its_failures(tmp_path, monkeypatch):
    data = exr(attribute(b"dataWindow", b"box2i", box(0, 0, 1, 0)))
    path = write(tmp_path, "d.exr", data)
    fake = FakeCv2(decoded=np.array([[1.5, 2.5]], dtype=np.float32))
    monkeypatch.setattr(raw, "_exr_reader", lambda: fake)
    assert ExrCodec().decode_file(path).depth.tolist() == [[1.5, 2.5]]
    assert fake.seen == [(data, -1 | 2)]
    assert ExrCodec().encode(np.zeros((1, 2))) == b"exr!"
    assert fake.seen[-1] == (".exr", np.float32)
    monkeypatch.setattr(raw, "_exr_reader", lambda: FakeCv2(decoded=None, encoded=(False, None)))
    with pytest.raises(IrisError, match="OpenCV could not read this EXR file"):
        ExrCodec().decode_file(path)
    with pytest.raises(IrisError, match="OpenCV could not encode"):
        ExrCodec().encode(np.zeros((1, 2)))


def test_exr_reader_enables_openexr_in_opencv(monkeypatch):
    monkeypatch.delenv("OPENCV_IO_ENABLE_OPENEXR", raising=False)
    reader = raw._exr_reader()
    assert os.environ["OPENCV_IO_ENABLE_OPENEXR"] == "1"
    assert reader is None or isinstance(reader, types.ModuleType)


def test_exr_ground_truth_reads_metres_through_the_checked_codec(tmp_path, monkeypatch):
    from core.depth.ground_truth import load_depth_gt

    data = exr(attribute(b"dataWindow", b"box2i", box(0, 0, 1, 0)))
    path = write(tmp_path, "truth.exr", data)
    monkeypatch.setattr(raw, "_exr_reader", lambda: FakeCv2(np.array([[1.5, 0.0]], np.float32)))
    depth = load_depth_gt(path, scale=0.001)  # the scale is for integer files only
    assert depth.dtype == np.float32 and depth[0, 0] == 1.5
    monkeypatch.setattr(raw, "_exr_reader", lambda: None)
    with pytest.raises(IrisError, match="truth.exr: no OpenEXR reader"):
        load_depth_gt(path)
