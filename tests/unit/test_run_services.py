from pathlib import Path

from bot.runtime.__main__ import services
from bot.runtime.settings import RuntimeSettings


def test_a_token_starting_with_a_dash_reaches_rasa_as_the_tokens_value(tmp_path):
    settings = RuntimeSettings.from_env(tmp_path, {})
    rasa = next(s for s in services(settings, Path("m.tar.gz"), "-starts-with-dash") if s.name == "rasa")
    assert "--auth-token=-starts-with-dash" in rasa.argv


def test_embedded_redis_is_started_only_without_redis_url(tmp_path):
    embedded = services(RuntimeSettings.from_env(tmp_path, {}), Path("m"), "t")
    external = services(RuntimeSettings.from_env(tmp_path, {"REDIS_URL": "redis://h:1/0"}), Path("m"), "t")
    assert [s.name for s in embedded] == ["redis", "orders", "recommender", "actions", "rasa", "console", "alerts"]
    assert [s.name for s in external] == ["orders", "recommender", "actions", "rasa", "console", "alerts"]
    assert external[0].env["REDIS_URL"] == "redis://h:1/0"
    assert embedded[1].env["REDIS_URL"].startswith("redis://127.0.0.1:6379")


def test_the_demo_order_system_runs_only_without_order_system_url(tmp_path):
    demo = {s.name: s for s in services(RuntimeSettings.from_env(tmp_path, {"ORDER_SYSTEM_PORT": "6124"}),
                                        Path("m"), "t")}
    assert demo["actions"].env["ORDER_SYSTEM_URL"] == "http://127.0.0.1:6124"
    assert demo["actions"].env["ORDER_SYSTEM_TOKEN"] == demo["orders"].env["ORDER_SYSTEM_TOKEN"] != ""
    shop = {s.name: s for s in services(RuntimeSettings.from_env(
        tmp_path, {"ORDER_SYSTEM_URL": "https://erp.example.com/api"}), Path("m"), "t")}
    assert "orders" not in shop and shop["actions"].env["ORDER_SYSTEM_URL"] == "https://erp.example.com/api"


def test_the_action_server_is_told_where_the_recommender_listens(tmp_path):
    settings = RuntimeSettings.from_env(tmp_path, {"RECOMMENDER_PORT": "6123"})
    by_name = {s.name: s for s in services(settings, Path("m"), "t")}
    assert by_name["actions"].env["RECOMMENDER_URL"] == "http://127.0.0.1:6123"
    assert by_name["recommender"].env["RECOMMENDER_PORT"] == "6123"
