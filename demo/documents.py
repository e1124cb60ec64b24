"""The documents the demo's officers submit as evidence: small, real Word files (.docx).

Each is the first page of an issued document: the issuer and its number, the national motto,
place and date, the title (trích yếu). The same submission always gives the same bytes, so
a second demo stores nothing new and the year-end package is reproducible. The four parts
of the file are written directly (python-docx takes about 50 ms a document, too slow for
the demo's eighty).
"""

from __future__ import annotations

from datetime import date
from xml.sax.saxutils import escape

from evidence.fixed_zip import zip_bytes
from workflows.contracts import EvidenceSubmission

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    "</Types>"
)
RELATIONSHIPS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
    'Target="docProps/core.xml"/>'
    "</Relationships>"
)
CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>{title}</dc:title><dc:creator>{creator}</dc:creator>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">{day}T00:00:00Z</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">{day}T00:00:00Z</dcterms:modified>'
    "</cp:coreProperties>"
)
DOCUMENT = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{paragraphs}'
    '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
    '<w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1701" w:header="720" w:footer="720" w:gutter="0"/>'
    "</w:sectPr></w:body></w:document>"
)
PARAGRAPH = (
    '<w:p><w:pPr><w:jc w:val="{align}"/></w:pPr><w:r><w:rPr>'
    '<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman"/>{bold}<w:sz w:val="{size}"/>'
    '</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r></w:p>'
)


def evidence_document(issuer: str, commune: str, submission: EvidenceSubmission) -> bytes:
    """The .docx of a scripted submission: its number, date and title, issued by `issuer`."""
    day = submission.document_date
    paragraphs = [
        _paragraph(issuer.upper(), bold=True),
        _paragraph(f"Số: {submission.document_number}"),
        _paragraph("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True),
        _paragraph("Độc lập - Tự do - Hạnh phúc", bold=True),
        _paragraph(f"{commune}, {_long_date(day)}", align="right"),
        _paragraph(submission.title, bold=True, size=28),
        _paragraph("Văn bản mẫu do bản chạy thử (cchc demo) lập làm tài liệu kiểm chứng.", align="both"),
    ]
    core = CORE.format(title=escape(submission.title), creator=escape(issuer), day=day.isoformat())
    return zip_bytes(
        [
            ("[Content_Types].xml", CONTENT_TYPES.encode()),
            ("_rels/.rels", RELATIONSHIPS.encode()),
            ("docProps/core.xml", core.encode()),
            ("word/document.xml", DOCUMENT.format(paragraphs="".join(paragraphs)).encode()),
        ]
    )


def _paragraph(text: str, *, bold: bool = False, size: int = 26, align: str = "center") -> str:
    return PARAGRAPH.format(align=align, bold="<w:b/>" if bold else "", size=size, text=escape(text))


def _long_date(day: date) -> str:
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"
