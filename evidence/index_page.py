"""index.html: the package's index for a browser, with a link to every file. No timestamp:
the same data gives the same page."""

from __future__ import annotations

from jinja2 import Environment

from domain.models import Plan
from evidence.index_table import FILES_COLUMN, HEADERS, IndexRow

PAGE = Environment(autoescape=True, trim_blocks=True, keep_trailing_newline=True).from_string(
    """<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>Tài liệu kiểm chứng: Kế hoạch {{ plan.number }}, năm {{ plan.year }}</title>
<style>
body { font-family: "Times New Roman", serif; margin: 1.5em; }
table { border-collapse: collapse; font-size: 0.9em; }
th, td { border: 1px solid #888; padding: 0.3em; vertical-align: top; }
th { background: #eee; }
td.hash { font-family: monospace; font-size: 0.8em; word-break: break-all; }
.missing { color: #b00; font-weight: bold; }
</style>
</head>
<body>
<h1>Danh mục tài liệu kiểm chứng</h1>
<p>Kế hoạch {{ plan.number }} ngày {{ plan.date.strftime("%d/%m/%Y") }} của {{ plan.issuer }}: {{ plan.title }}.</p>
<p>Mã đầu chuỗi nhật ký (SHA-256): <code>{{ head }}</code>.
Mã SHA-256 của mọi tệp trong gói có trong <a href="manifest.json">manifest.json</a>;
nhật ký từng nhiệm vụ trong thư mục <code>nhat-ky/</code>, lịch sử Temporal trong <code>lich-su/</code>.</p>
<table>
<thead><tr>{% for header in headers %}<th>{{ header }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in rows %}
<tr>{% for cell in row.cells() %}{% if loop.index0 == files_column %}<td>{% for path in row.files %}<a href="{{ path }}">{{ path }}</a>{% if not loop.last %}<br>{% endif %}{% else %}{% if row.document %}<span class="missing">{{ cell }}</span>{% endif %}{% endfor %}</td>{% elif loop.last %}<td class="hash">{{ cell }}</td>{% else %}<td>{{ cell }}</td>{% endif %}{% endfor %}</tr>
{% endfor %}
</tbody>
</table>
</body>
</html>
"""
)


def index_page(plan: Plan, rows: list[IndexRow], head: str) -> bytes:
    return PAGE.render(plan=plan, rows=rows, head=head, headers=HEADERS, files_column=FILES_COLUMN).encode()
