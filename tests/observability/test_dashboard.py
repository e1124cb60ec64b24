"""The sample Grafana dashboard (docs/grafana-dashboard.json) queries the metrics the product
exports under their exported names: every one of ours is on it, and it names none that is not."""

from __future__ import annotations

import json
import re
from pathlib import Path

from observability import metrics

DASHBOARD = Path(__file__).parents[2] / "docs" / "grafana-dashboard.json"
OURS = {value for name, value in vars(metrics).items() if name.isupper() and isinstance(value, str)}


def queries() -> list[str]:
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    return [target["expr"] for panel in dashboard["panels"] for target in panel.get("targets", [])]


def test_every_metric_of_ours_is_on_the_dashboard_and_it_queries_no_other_of_ours():
    named = {re.sub(r"_(bucket|sum|count)$", "", name) for expr in queries() for name in re.findall(r"cchc_\w+", expr)}
    assert named == OURS


def test_every_panel_reads_the_chosen_prometheus():
    dashboard = json.loads(DASHBOARD.read_text(encoding="utf-8"))
    assert [v["name"] for v in dashboard["templating"]["list"] if v["type"] == "datasource"] == ["datasource"]
    sources = {target["datasource"]["uid"] for panel in dashboard["panels"] for target in panel.get("targets", [])}
    assert sources == {"${datasource}"}
