import pytest

from bot.runtime.settings import RuntimeSettings
from bot.settings import RedisSettings, SettingsError, seconds_from_env, turn_wait_seconds


def test_redis_url_wins_over_host_and_port():
    settings = RedisSettings.from_env({
        "REDIS_URL": "redis://:s3cret@cache.internal:6380/2", "REDIS_HOST": "other",
    })
    assert (settings.host, settings.port, settings.db, settings.password) == (
        "cache.internal", 6380, 2, "s3cret")
    assert settings.url == "redis://:s3cret@cache.internal:6380/2"


def test_host_port_db_password_without_url():
    settings = RedisSettings.from_env({
        "REDIS_HOST": "10.0.0.5", "REDIS_PORT": "7000", "REDIS_DB": "3", "REDIS_PASSWORD": "pw",
    })
    assert settings.url == "redis://:pw@10.0.0.5:7000/3"


def test_defaults_are_local_redis_with_prefix_and_30_day_expiry():
    settings = RedisSettings.from_env({})
    assert settings.url == "redis://localhost:6379/0"
    assert settings.key_prefix == "shopbot"
    assert settings.tracker_expiry_seconds == 30 * 24 * 3600


def test_rediss_means_tls():
    assert RedisSettings.from_url("rediss://h:1/0").use_ssl


@pytest.mark.parametrize("environ, message", [
    ({"REDIS_URL": "http://x"}, "REDIS_URL"),
    ({"REDIS_URL": "redis://h:port/0"}, "REDIS_URL"),
    ({"REDIS_PORT": "six"}, "REDIS_PORT"),
    ({"REDIS_KEY_PREFIX": "shop:bot"}, "REDIS_KEY_PREFIX"),
    ({"TRACKER_EXPIRY_SECONDS": "-1"}, "TRACKER_EXPIRY_SECONDS"),
])
def test_bad_settings_name_the_variable(environ, message):
    with pytest.raises(SettingsError, match=message):
        RedisSettings.from_env(environ)


def test_runtime_ports_default_to_rasas_own(tmp_path):
    settings = RuntimeSettings.from_env(tmp_path, {})
    assert (settings.rasa_port, settings.action_port) == (5005, 5055)
    assert settings.data_dir == tmp_path / "data"


def test_runtime_rejects_impossible_port(tmp_path):
    with pytest.raises(SettingsError, match="RASA_PORT"):
        RuntimeSettings.from_env(tmp_path, {"RASA_PORT": "70000"})


def test_generated_token_is_kept_between_runs(tmp_path):
    settings = RuntimeSettings.from_env(tmp_path, {})
    first = settings.auth_token_or_generate()
    assert len(first) >= 24
    assert settings.auth_token_or_generate() == first
    assert RuntimeSettings.from_env(tmp_path, {"RASA_AUTH_TOKEN": "given"}).auth_token_or_generate() == "given"


def test_seconds_from_the_environment():
    assert seconds_from_env({}, "CATALOG_SYNC_SECONDS", 1.0) == 1.0
    assert seconds_from_env({"CATALOG_SYNC_SECONDS": " 0.2 "}, "CATALOG_SYNC_SECONDS", 1.0) == 0.2
    for bad in ("0", "-1", "nan", "abc", "7200"):
        with pytest.raises(SettingsError, match="CATALOG_SYNC_SECONDS"):
            seconds_from_env({"CATALOG_SYNC_SECONDS": bad}, "CATALOG_SYNC_SECONDS", 1.0)


def test_a_turn_wait_may_be_zero_but_never_silently_wrong():
    assert turn_wait_seconds("REDIS_OUTAGE_WAIT_SECONDS", {}) == 5.0
    assert turn_wait_seconds("RECOMMENDER_WAIT_SECONDS", {"RECOMMENDER_WAIT_SECONDS": "0"}) == 0.0
    assert turn_wait_seconds("ACTION_SERVER_WAIT_SECONDS", {"ACTION_SERVER_WAIT_SECONDS": "2.5"}) == 2.5
    for bad in ("-1", "nan", "五秒", "301"):
        with pytest.raises(SettingsError, match="ACTION_SERVER_WAIT_SECONDS"):
            turn_wait_seconds("ACTION_SERVER_WAIT_SECONDS", {"ACTION_SERVER_WAIT_SECONDS": bad})


def test_the_run_command_names_a_malformed_wait_before_starting(tmp_path, monkeypatch):
    from bot.runtime.__main__ import problems
    from bot.runtime.settings import RuntimeSettings

    monkeypatch.setenv("REDIS_OUTAGE_WAIT_SECONDS", "5s")
    found = problems(RuntimeSettings.from_env(tmp_path, {}))
    assert any("REDIS_OUTAGE_WAIT_SECONDS" in line and "'5s'" in line for line in found)
