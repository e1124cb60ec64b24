"""Plan files (.txt/.md, .docx, .xlsx, .csv/.tsv, .yaml) to the domain's Plan."""

from importers.errors import ImportResult, PlanInputError
from importers.read import read_plan

__all__ = ["ImportResult", "PlanInputError", "read_plan"]
