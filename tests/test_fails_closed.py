"""Configuration that fails closed: a weak session key stops every command, naming the setting;
the data directory and the SQLite database are the owner's alone."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from cli.app import app
from config import Settings
from persistence.db import make_engine


@pytest.mark.parametrize("key", ["", "ngắn-quá", "x" * 31])
def test_a_short_or_empty_secret_key_stops_the_web_with_a_message_naming_the_setting(key, tmp_path, monkeypatch):
    monkeypatch.setenv("CCHC_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CCHC_SECRET_KEY", key)

    result = CliRunner().invoke(app, ["web", "--port", "1"])

    assert result.exit_code != 0
    assert "CCHC_SECRET_KEY: khóa ký phiên đăng nhập phải dài ít nhất 32 byte" in result.output
    assert "Trang web:" not in result.output


def test_a_secret_key_of_32_bytes_is_taken():
    assert Settings(secret_key="x" * 32).secret_key.get_secret_value() == "x" * 32


def test_a_data_directory_and_database_created_by_the_product_are_the_owners_alone(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'data' / 'cchc.db'}")
    engine.dispose()

    assert (tmp_path / "data").stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "data" / "cchc.db").stat().st_mode & 0o777 == 0o600
