import pytest

from importers import read_plan
from tests.importers.builders import VINH_KHE


@pytest.fixture(scope="session")
def vinh_khe():
    """The Vĩnh Khê 2024 plan as imported from its text rendering."""
    return read_plan(VINH_KHE)
