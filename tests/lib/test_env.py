import pytest

from belong.lib.env import ImproperlyConfiguredEnv, env_bool, env_int, env_list, env_str


def test_values_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("X_BOOL", "yes")
    monkeypatch.setenv("X_INT", "42")
    monkeypatch.setenv("X_LIST", "a.example, b.example ,")
    assert env_bool("X_BOOL") is True
    assert env_int("X_INT", 1) == 42
    assert env_list("X_LIST") == ["a.example", "b.example"]
    assert env_str("X_MISSING", "fallback") == "fallback"


def test_file_variant_reads_a_secret_from_a_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n")
    monkeypatch.setenv("X_SECRET_FILE", str(secret))
    assert env_str("X_SECRET") == "s3cret"


@pytest.mark.parametrize(
    ("name", "value", "reader"), [("X_BOOL", "maybe", env_bool), ("X_INT", "ten", env_int)]
)
def test_bad_values_name_the_variable(monkeypatch, name, value, reader):
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfiguredEnv, match=name):
        reader(name, 1) if reader is env_int else reader(name)
