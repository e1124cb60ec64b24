from pathlib import Path

from config import Settings, get_settings


def test_the_default_database_is_a_sqlite_file_in_the_data_dir(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # no .env here
    for name in ("CCHC_DATA_DIR", "CCHC_DATABASE_URL", "CCHC_MAX_IMPORT_MB"):
        monkeypatch.delenv(name, raising=False)

    settings = Settings()

    assert settings.data_dir == Path(".cchc")
    assert settings.effective_database_url == "sqlite:///.cchc/cchc.db"
    assert settings.max_import_mb == 20
    assert settings.timezone == "Asia/Ho_Chi_Minh"


def test_settings_come_from_cchc_environment_variables(monkeypatch, tmp_path):
    monkeypatch.setenv("CCHC_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CCHC_MAX_IMPORT_MB", "5")

    settings = get_settings()

    assert settings.effective_database_url == f"sqlite:///{tmp_path}/cchc.db"
    assert settings.max_import_mb == 5
    assert get_settings() is settings


def test_an_explicit_database_url_wins_over_the_data_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("CCHC_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CCHC_DATABASE_URL", "postgresql+psycopg://u@db/cchc")

    assert get_settings().effective_database_url == "postgresql+psycopg://u@db/cchc"


def test_settings_are_also_read_from_a_dot_env_file(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CCHC_MAX_IMPORT_MB", raising=False)
    (tmp_path / ".env").write_text("CCHC_MAX_IMPORT_MB=7\n", encoding="utf-8")

    assert get_settings().max_import_mb == 7
