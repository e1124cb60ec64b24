"""The documents the demo's officers submit as evidence: small, real Word files (.docx), each
laid out as the commune issues its documents (`evidence.document_layout`, Nghị định
30/2020/NĐ-CP): the committee and the document's number beside the national motto, the place
and date in words, the type and summary, a line of text, "Nơi nhận" and the chairman's
signature. They are issued documents, so none says "DỰ THẢO". The same submission always
gives the same bytes, so a second demo stores nothing new and the year-end package is
reproducible.
"""

from __future__ import annotations

from domain.communes import CommuneProfile
from evidence.document_layout import DocumentType, Layout, Signature, finish, paragraph, start
from workflows.contracts import EvidenceSubmission

TEXT = "Văn bản mẫu do bản chạy thử (cchc demo) lập làm tài liệu kiểm chứng."


def evidence_document(issuer: CommuneProfile, signer: str | None, submission: EvidenceSubmission) -> bytes:
    """The .docx of a scripted submission: its number, date and title, issued by the committee
    of `issuer` and signed by its chairman `signer` (None: the name line is left blank)."""
    layout = Layout(
        issuer=issuer,
        type=document_type(submission.document_number),
        summary=summary(submission.title),
        issued=submission.document_date,
        number=submission.document_number,
        recipients=(f"Thường trực HĐND {issuer.word}", "Các bộ phận có liên quan"),
        signature=Signature(full_name=signer),
        final=True,
    )
    document = start(layout)
    paragraph(document, TEXT)
    return finish(document, layout)


def document_type(number: str) -> DocumentType:
    """The type a number's abbreviation names ("15/QĐ-UBND": a decision); a report otherwise."""
    symbol = number.partition("/")[2].partition("-")[0]
    known = {member.value: member for member in DocumentType if member.value}
    return known.get(symbol, DocumentType.REPORT)


def summary(title: str) -> str:
    """The trích yếu under the type's name: "Báo cáo về việc: X" reads "Về việc: X"."""
    _, about, rest = title.partition("về việc")
    return f"Về việc{rest}" if about else title
