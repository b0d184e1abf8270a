"""``python -m bot.runtime [run|train|check]``: the run command behind ``make run``.

run    check, train if needed, start Redis (embedded unless REDIS_URL is set),
       the demo order system (unless ORDER_SYSTEM_URL is set), the recommender,
       the action server, the rasa server, the agents' console and the alert
       worker; supervise them until Ctrl-C
train  make sure a model for the current data and config exists; print its path
check  only the checks that ``run`` makes first
"""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
from functools import partial
from pathlib import Path
from typing import List

from bot.runtime.embedded_redis import EmbeddedRedis
from bot.runtime.leftovers import ChildRecord
from bot.runtime.model_store import ensure_trained_model
from bot.runtime.preflight import port_problem, redis_problem, sentinel_problem
from bot.runtime.settings import CHILD_ENVIRONMENT, RuntimeSettings
from bot.runtime.supervisor import Service, StartError, Supervisor, http_ok
from bot.settings import TURN_WAIT_SECONDS, RedisSettings, SettingsError, turn_wait_seconds

ROOT = Path(__file__).resolve().parents[2]


def say(message: str) -> None:
    print(f"{'shopbot':>9} | {message}", flush=True)


def problems(settings: RuntimeSettings) -> List[str]:
    found = []
    for name in ("domain.yml", "endpoints.yml", "credentials.yml"):
        if not (settings.root / name).is_file():
            found.append(f"{name} is missing from {settings.root}")
    if not settings.config_file.is_file():
        found.append(f"the NLU/policy config {settings.config_file} is missing (RASA_CONFIG)")
    if settings.model is not None and not settings.model.is_file():
        found.append(f"RASA_MODEL names {settings.model}, which does not exist")
    found += filter(None, [
        port_problem(settings.rasa_port, "rasa server", "RASA_PORT"),
        port_problem(settings.action_port, "action server", "ACTION_PORT"),
        port_problem(settings.recommender_port, "recommender", "RECOMMENDER_PORT"),
        port_problem(settings.console_port, "agents' console", "CONSOLE_PORT"),
        port_problem(settings.alerts_port, "alert worker", "ALERTS_PORT"),
    ])
    if not settings.order_system_url:
        found += filter(None, [port_problem(settings.order_system_port, "demo order system", "ORDER_SYSTEM_PORT")])
    if settings.redis_sentinels:
        found += filter(None, [sentinel_problem()])
    elif settings.redis_url:
        found += filter(None, [redis_problem(settings.redis_url)])
    else:
        found += filter(None, [
            port_problem(settings.embedded_redis_port, "embedded Redis", "EMBEDDED_REDIS_PORT")
        ])
    for check in (RedisSettings.from_env, *(partial(turn_wait_seconds, name) for name in TURN_WAIT_SECONDS)):
        try:
            check()
        except SettingsError as error:
            found.append(str(error))
    return found


def train(settings: RuntimeSettings) -> Path:
    if settings.model is not None:
        return settings.model
    return ensure_trained_model(
        root=settings.root,
        models_dir=settings.models_dir,
        config=settings.config_file,
        domain=settings.root / "domain.yml",
        data=settings.root / "nlu_data",
        log=say,
    )


def services(settings: RuntimeSettings, model: Path, token: str) -> List[Service]:
    python = sys.executable
    child_env = {
        **CHILD_ENVIRONMENT,
        "ACTION_SERVER_URL": f"http://127.0.0.1:{settings.action_port}/webhook",
        "RECOMMENDER_URL": f"http://127.0.0.1:{settings.recommender_port}",
        "RECOMMENDER_PORT": str(settings.recommender_port),
        "SHOPBOT_DATA_DIR": str(settings.data_dir),
        "CUSTOMER_TOKEN_SECRET": settings.customer_token_secret_or_generate(),
        "PRIVACY_KEY": settings.privacy_key_or_generate(),
        "ACTION_SERVER_TOKEN": settings.action_server_token_or_generate(),
    }
    result = []
    if settings.redis_sentinels:
        pass  # every child asks the Sentinels of REDIS_SENTINELS (in its environment) for the primary
    elif settings.redis_url:
        child_env["REDIS_URL"] = settings.redis_url
    else:
        redis = EmbeddedRedis(settings.embedded_redis_port, settings.data_dir / "redis")
        redis.data_dir.mkdir(parents=True, exist_ok=True)
        child_env["REDIS_URL"] = redis.url
        result.append(
            Service("redis", redis.command(), ready=lambda: redis_problem(redis.url) is None,
                    ready_timeout=20)
        )
    if settings.order_system_url:
        child_env["ORDER_SYSTEM_URL"] = settings.order_system_url
    else:
        # The demo shop's order system; a shop sets ORDER_SYSTEM_URL (and ORDER_SYSTEM_TOKEN) to its own.
        child_env["ORDER_SYSTEM_URL"] = f"http://127.0.0.1:{settings.order_system_port}"
        child_env["ORDER_SYSTEM_TOKEN"] = settings.demo_order_system_token()
        result.append(Service(
            "orders",
            [python, "-m", "bot.orders.demo_service", "--port", str(settings.order_system_port)],
            ready=http_ok(f"http://127.0.0.1:{settings.order_system_port}/health"),
            env=child_env, cwd=settings.root, ready_timeout=60,
        ))
    result.append(Service(
        "recommender",
        [python, "-m", "bot.recommender"],
        ready=http_ok(f"http://127.0.0.1:{settings.recommender_port}/health"),
        env=child_env, cwd=settings.root, ready_timeout=600,  # the first start encodes the catalog
    ))
    result.append(Service(
        "actions",
        [python, "-m", "rasa_sdk", "--actions", "actions", "--port", str(settings.action_port)],
        ready=http_ok(f"http://127.0.0.1:{settings.action_port}/health"),
        env=child_env, cwd=settings.root, ready_timeout=120,
    ))
    result.append(Service(
        "rasa",
        [
            python, "-m", "bot.runtime.rasa_server", "run",
            "--model", str(model),
            "--endpoints", "endpoints.yml",
            "--credentials", "credentials.yml",
            "--interface", settings.host,
            "--port", str(settings.rasa_port),
            "--enable-api", f"--auth-token={token}",  # a token may start with "-"
            "--cors", "*",
        ],
        ready=http_ok(f"http://127.0.0.1:{settings.rasa_port}/"),
        env=child_env, cwd=settings.root, ready_timeout=300,
    ))
    result.append(Service(
        "console",
        [python, "-m", "bot.console", "serve", "--port", str(settings.console_port)],
        ready=http_ok(f"http://127.0.0.1:{settings.console_port}/health"),
        env=child_env, cwd=settings.root, ready_timeout=60,
    ))
    result.append(Service(
        "alerts",
        [python, "-m", "bot.alerts", "--port", str(settings.alerts_port)],
        ready=http_ok(f"http://127.0.0.1:{settings.alerts_port}/health"),
        env=child_env, cwd=settings.root, ready_timeout=60,
    ))
    return result


def banner(settings: RuntimeSettings, token: str) -> str:
    base = f"http://localhost:{settings.rasa_port}"
    redis_url = settings.redis_url or f"redis://127.0.0.1:{settings.embedded_redis_port}/0"
    redis = settings.redis_url or f"{redis_url} (embedded, data in {settings.data_dir / 'redis'})"
    return "\n".join([
        "the bot is running:",
        f"  REST channel   POST {base}/webhooks/rest/webhook",
        f"  web widget     {base}/shop/  (socketio at {base}/socket.io)",
        f"  WeChat         {base}/webhooks/wechat/webhook   Telegram {base}/webhooks/telegram/webhook",
        f"  HTTP API       {base}/status?token={token}",
        f"  actions        http://localhost:{settings.action_port}/health",
        f"  recommender    http://localhost:{settings.recommender_port}/health",
        f"  agents' console http://localhost:{settings.console_port}/",
        f"  order system   {settings.order_system_url or f'http://127.0.0.1:{settings.order_system_port} (demo)'}",
        "    first account: read -s PW && echo \"$PW\" | "
        f"REDIS_URL={redis_url} {sys.executable} -m bot.console agents add NAME --role supervisor",
        "    (for a demo: CONSOLE_AGENTS=name:password:role make run)",
        f"  Redis          {redis}",
        "press Ctrl-C to stop everything",
    ])


def main(argv: List[str] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.runtime", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", nargs="?", default="run", choices=["run", "train", "check"])
    args = parser.parse_args(argv)

    try:
        settings = RuntimeSettings.from_env(ROOT)
    except SettingsError as error:
        say(f"cannot start: {error}")
        return 2

    if args.command == "train":
        try:
            print(train(settings))
        except subprocess.CalledProcessError as error:
            say(f"training failed with exit code {error.returncode} (log above)")
            return 1
        return 0

    record = ChildRecord(settings.data_dir / "run")
    if args.command == "run":
        record.clear_leftovers(say)  # a run killed with -9 must not block this one with its ports
    found = problems(settings)
    for problem in found:
        say(f"cannot start: {problem}")
    if found or args.command == "check":
        return 2 if found else 0

    try:
        model = train(settings)
    except subprocess.CalledProcessError as error:
        say(f"cannot start: training failed with exit code {error.returncode} (log above)")
        return 1

    token = settings.auth_token_or_generate()
    supervisor = Supervisor(services(settings, model, token), record=record)
    signal.signal(signal.SIGINT, supervisor.request_stop)
    signal.signal(signal.SIGTERM, supervisor.request_stop)
    code = 0
    try:
        supervisor.start_all()
        say(banner(settings, token).replace("\n", "\n" + " " * 9 + " | "))
        supervisor.watch()
    except StartError as error:
        if not supervisor.stop_requested.is_set():
            say(f"error: {error}")
            code = 1
    finally:
        supervisor.stop_all()
        say("stopped")
    return code


if __name__ == "__main__":
    sys.exit(main())
