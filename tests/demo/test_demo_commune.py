"""`cchc demo --plan FILE --commune NAME`: the commune given on the command line is the plan's,
as with `cchc plan import`, when the plan's text names no issuer."""

from __future__ import annotations

import json

import pytest

from tests.demo.test_demo_command import cchc  # noqa: F401  (the fixture: `cchc ...` on a fresh data directory)

# A task table pasted alone: a title giving the year, no committee, no number, no date.
TINY_PLAN = """\
KẾ HOẠCH
Cải cách hành chính năm 2024
STT,Nhiệm vụ cụ thể,Bộ phận chủ trì,Thời gian thực hiện
I. CÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH,,,
1.,Ban hành kế hoạch kiểm soát thủ tục hành chính,Văn phòng,Quý I/2024
2.,Rà soát văn bản quy phạm pháp luật,Tư pháp,Quý II/2024
"""


@pytest.fixture
def database_url(tmp_path) -> str:
    """SQLite only: what is checked here does not depend on the database."""
    return f"sqlite:///{tmp_path / 'db' / 'cchc.db'}"


def test_the_demo_runs_a_plan_naming_no_issuer_as_the_given_communes(cchc, tmp_path):
    plan_file = tmp_path / "bang-nhiem-vu.csv"
    plan_file.write_text(TINY_PLAN, encoding="utf-8")

    result = cchc("demo", "--plan", plan_file, "--commune", "Phú Quốc", "--json")

    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)["plan"]
    assert (plan["commune"], plan["issuer"], plan["year"]) == ("Phú Quốc", "UBND xã Phú Quốc", 2024)
    assert json.loads(result.stdout)["tasks"] == 2


def test_without_the_commune_the_demo_asks_for_it(cchc, tmp_path):
    plan_file = tmp_path / "bang-nhiem-vu.csv"
    plan_file.write_text(TINY_PLAN, encoding="utf-8")

    result = cchc("demo", "--plan", plan_file, "--json")

    assert result.exit_code != 0
    assert "(--commune)" in result.output
