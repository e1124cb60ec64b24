"""The evidence store on a real directory, and what it accepts, on files built here."""

from __future__ import annotations

import hashlib
import io
import struct
import zipfile
import zlib
from pathlib import Path

import docx
import openpyxl
import pytest

from evidence.store import (
    ACCEPTED_TYPES,
    DOC,
    DOCX,
    JPEG,
    ODS,
    ODT,
    PDF,
    PNG,
    SNIFF_BYTES,
    XLS,
    XLSX,
    EvidenceStore,
    TooLarge,
    sniff_type,
)

CONTENT = b"%PDF-1.7\n% Ke hoach CCHC nam 2024, so 10/KH-UBND\n"
DIGEST = hashlib.sha256(CONTENT).hexdigest()


@pytest.fixture
def store(tmp_path) -> EvidenceStore:
    return EvidenceStore(tmp_path / "evidence")


def files_under(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file())


# --- storing ---------------------------------------------------------------------------------


def test_a_file_is_kept_once_under_its_digest_and_the_second_upload_creates_nothing(store):
    first = store.put([CONTENT[:10], CONTENT[10:]], max_bytes=1000)
    again = store.put([CONTENT], max_bytes=1000)

    assert (first.sha256, first.size, first.created) == (DIGEST, len(CONTENT), True)
    assert (again.sha256, again.created) == (DIGEST, False)
    assert files_under(store.root) == [store.root / DIGEST[:2] / DIGEST]
    with store.open(DIGEST) as stored:
        assert stored.read() == CONTENT
    assert store.exists(DIGEST)


def test_a_file_over_the_limit_is_refused_and_leaves_nothing_behind_not_even_in_incoming(store):
    read = []

    def chunks():
        for chunk in (b"a" * 600, b"b" * 600, b"c" * 600):
            read.append(chunk)
            yield chunk

    with pytest.raises(TooLarge) as refused:
        store.put(chunks(), max_bytes=1000)

    assert refused.value.limit_bytes == 1000
    assert len(read) == 2  # it stopped reading where the limit was passed
    assert files_under(store.root) == []


def test_a_file_exactly_at_the_limit_is_kept(store):
    assert store.put([b"x" * 1000], max_bytes=1000).created


def test_a_file_stored_flat_before_the_fan_out_is_still_found_and_not_stored_again(store):
    store.root.mkdir()
    (store.root / DIGEST).write_bytes(CONTENT)

    assert store.path_of(DIGEST) == store.root / DIGEST
    assert store.exists(DIGEST)
    assert store.put([CONTENT], max_bytes=1000).created is False
    assert files_under(store.root) == [store.root / DIGEST]


def test_a_digest_the_store_does_not_have_is_absent_and_cannot_be_opened(store):
    missing = "0" * 64

    assert store.path_of(missing) == store.root / "00" / missing
    assert not store.exists(missing)
    with pytest.raises(FileNotFoundError):
        store.open(missing)


@pytest.mark.parametrize(
    "name",
    ["../x", "../" + DIGEST[3:], DIGEST.upper(), DIGEST[:63], DIGEST + "0", DIGEST + "\n", "/etc/passwd", ""],
)
def test_anything_but_64_lowercase_hex_digits_is_not_a_digest(store, name):
    for use in (store.path_of, store.open, store.exists):
        with pytest.raises(ValueError):
            use(name)


# --- what is accepted ------------------------------------------------------------------------


def docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("Số: 10/KH-UBND")
    return saved(document)


def xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Nhiệm vụ"
    return saved(workbook)


def saved(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def odf_bytes(mimetype: str) -> bytes:
    """An OpenDocument package: `mimetype` first and stored, then the manifest and content."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        package.writestr("META-INF/manifest.xml", MANIFEST.format(mimetype=mimetype), zipfile.ZIP_DEFLATED)
        package.writestr("content.xml", "<office:document-content/>", zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:media-type="{mimetype}"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def compound_file(stream: str, *, padding: int = 0) -> bytes:
    """An OLE2 compound file (version 3, 512-byte sectors) whose directory holds the root and
    one empty stream named `stream`; `padding` (at most 126) sectors of data before the directory."""
    end, free, fat_sector = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    directory = 1 + padding
    header = (
        bytes.fromhex("d0cf11e0a1b11ae1")
        + bytes(16)
        + struct.pack("<HHHHH6xIIIIIIIII", 0x3E, 3, 0xFFFE, 9, 6, 0, 1, directory, 0, 4096, end, 0, end, 0)
        + struct.pack("<109I", 0, *[free] * 108)
    )
    chains = [fat_sector, *[end] * padding, end]  # each data sector its own chain, then the directory
    fat = struct.pack("<128I", *chains, *[free] * (128 - len(chains)))
    entries = entry("Root Entry", 5, child=1) + entry(stream, 2) + bytes(256)
    return header + fat + bytes(512 * padding) + entries


def entry(name: str, kind: int, *, child: int = 0xFFFFFFFF) -> bytes:
    encoded = (name + "\0").encode("utf-16-le")
    return encoded.ljust(64, b"\0") + struct.pack(
        "<HBBIII16sIQQIII", len(encoded), kind, 1, 0xFFFFFFFF, 0xFFFFFFFF, child, bytes(16), 0, 0, 0, 0xFFFFFFFE, 0, 0
    )


def png_bytes() -> bytes:
    """A 1×1 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 8-bit greyscale
    pixels = zlib.compress(b"\x00\xff")  # one row: no filter, one white pixel
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


JPEG_START = bytes.fromhex("ffd8ffe000104a46494600010100000100010000")  # SOI, then the JFIF APP0 segment


@pytest.mark.parametrize(
    ("content", "filename", "expected"),
    [
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n", "ban-chup.pdf", PDF),
        (docx_bytes(), "ke-hoach.docx", DOCX),
        (xlsx_bytes(), "bang-theo-doi.xlsx", XLSX),
        (compound_file("WordDocument"), "quyet-dinh.doc", DOC),
        (compound_file("Workbook"), "tong-hop.xls", XLS),
        (odf_bytes(ODT), "bao-cao.odt", ODT),
        (odf_bytes(ODS), "bao-cao.ods", ODS),
        (JPEG_START + bytes.fromhex("ffd9"), "anh-chup.jpg", JPEG),
        (png_bytes(), "ban-quet.png", PNG),
    ],
)
def test_every_accepted_type_is_recognised_from_its_content(content, filename, expected):
    assert sniff_type(content[:SNIFF_BYTES], filename) == expected
    assert expected in ACCEPTED_TYPES


def test_the_content_decides_whatever_the_file_is_called():
    assert sniff_type(docx_bytes(), "ke-hoach.pdf") == DOCX
    assert sniff_type(compound_file("WordDocument"), "tong-hop.xls") == DOC


def test_an_xlsx_whose_content_types_part_comes_last_is_recognised_from_its_first_entries():
    content = xlsx_bytes()
    first_names = [info.filename for info in zipfile.ZipFile(io.BytesIO(content)).infolist()]
    head = content[: content.index(b"[Content_Types].xml") - 30]

    assert first_names[-1] == "[Content_Types].xml"
    assert sniff_type(head, "bang-theo-doi.xlsx") == XLSX


def test_a_legacy_office_file_whose_directory_lies_beyond_the_head_is_told_apart_by_its_extension():
    large = compound_file("WordDocument", padding=126)  # the directory starts at 64 KiB
    head = large[:SNIFF_BYTES]

    assert sniff_type(large, "quyet-dinh.doc") == DOC
    assert (sniff_type(head, "quyet-dinh.doc"), sniff_type(head, "TONG-HOP.XLS")) == (DOC, XLS)
    assert sniff_type(head, "setup.msi") is None


def zip_of(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def macro_enabled_docx() -> bytes:
    source = zipfile.ZipFile(io.BytesIO(docx_bytes()))
    entries = {info.filename: source.read(info) for info in source.infolist()}
    return zip_of({**entries, "word/vbaProject.bin": b"\xd0\xcf\x11\xe0 macros"})


@pytest.mark.parametrize(
    ("content", "filename"),
    [
        (b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + bytes(54) + b"This program cannot be run in DOS mode", "ke-hoach.pdf"),
        (b"\x7fELF\x02\x01\x01\x00" + bytes(56), "bao-cao.pdf"),
        (b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>", "ke-hoach.docx"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "anh.png"),
        (b"#!/bin/sh\nrm -rf /\n", "bao-cao.doc"),
        (zip_of({"ke-hoach.pdf": CONTENT, "setup.exe": b"MZ"}), "ho-so.docx"),
        (zip_of({"word/document.xml": b"<w:document/>"}), "thieu-goi.docx"),
        (macro_enabled_docx(), "ke-hoach.docx"),
        (odf_bytes("application/vnd.oasis.opendocument.presentation"), "trinh-chieu.odt"),
        (compound_file("PowerPoint Document"), "trinh-chieu.doc"),
        ("Kế hoạch CCHC năm 2024, số 10/KH-UBND\n".encode(), "ke-hoach.pdf"),
        (b"", "trong.pdf"),
    ],
    ids=[
        "exe",
        "elf",
        "html",
        "svg",
        "script",
        "plain zip",
        "zip with word parts but no package",
        "macro-enabled docx",
        "odf presentation",
        "powerpoint 97",
        "text renamed pdf",
        "empty",
    ],
)
def test_anything_else_is_refused_whatever_its_name(content, filename):
    assert sniff_type(content[:SNIFF_BYTES], filename) is None
