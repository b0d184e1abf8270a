import socket

from bot.runtime.embedded_redis import EmbeddedRedis, free_port
from bot.runtime.preflight import port_problem, redis_problem


def test_free_port_has_no_problem():
    assert port_problem(free_port(), "rasa server", "RASA_PORT") is None


def test_busy_port_names_owner_and_variable():
    with socket.socket() as holder:
        holder.bind(("0.0.0.0", 0))
        holder.listen()
        port = holder.getsockname()[1]
        problem = port_problem(port, "rasa server", "RASA_PORT")
    assert problem == f"port {port} for the rasa server is in use: stop what holds it or set RASA_PORT"


def test_unreachable_redis_is_explained():
    problem = redis_problem(f"redis://127.0.0.1:{free_port()}/0")
    assert "unreachable" in problem


def test_malformed_redis_url_is_explained():
    assert "REDIS_URL" in redis_problem("localhost:6379")


def test_running_redis_has_no_problem(tmp_path):
    with EmbeddedRedis(free_port(), tmp_path) as server:
        assert redis_problem(server.url) is None
