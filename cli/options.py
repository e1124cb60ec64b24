"""Options several `cchc` commands share, spelled once."""

from __future__ import annotations

from typing import Annotated

import typer

JsonOption = Annotated[bool, typer.Option("--json", help="In đúng một đối tượng JSON ra stdout (JSON output).")]
YearOption = Annotated[int | None, typer.Option("--year", help="Năm của kế hoạch (plan year).")]
FinalOption = Annotated[
    bool,
    typer.Option(
        "--final", help="Văn phòng đã kiểm tra: bỏ dấu DỰ THẢO trên văn bản (final, not a draft).", show_default=False
    ),
]
CopiesOption = Annotated[
    list[str] | None,
    typer.Option(
        "--copy",
        help="Nơi nhận ngoài cơ quan nhận chính, mỗi lần một nơi (mặc định: Chủ tịch, các Phó Chủ tịch UBND) (recipients).",
    ),
]
