"""``python -m bot.console``: serve the console, or manage agent accounts.

  python -m bot.console serve [--port 5057]
  python -m bot.console agents add NAME --role agent|supervisor    (password from standard input)
  python -m bot.console agents list

Settings (docs/operations.md): ``CONSOLE_PORT`` (5057), ``CONSOLE_HOST``
(0.0.0.0), ``CONSOLE_IDLE_RETURN_SECONDS`` (900), ``CONSOLE_COOKIE_SECURE``
(set it behind HTTPS), ``CONSOLE_NLU_DIR`` (where exported annotations go,
default ``nlu_data/``), ``CONSOLE_AGENTS`` (accounts created or updated at
start: ``name:password:role,...``; for demos and tests, not for production),
and Redis's ``REDIS_URL`` / ``REDIS_KEY_PREFIX``.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import logging
import os
import sys
from pathlib import Path
from typing import List, Optional

from aiohttp import web

from bot.console.accounts import AccountError, AgentAccounts, parse_agents_setting
from bot.settings import RedisSettings, SettingsError, int_from_env
from bot.store.redis_client import async_client

DEFAULT_PORT = 5057


def _password_from_stdin() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("password: ")
        if getpass.getpass("again: ") != first:
            raise AccountError("the two passwords differ")
        return first
    return sys.stdin.readline().rstrip("\r\n")


async def _add_agent(settings: RedisSettings, name: str, role: str, password: str) -> None:
    client = async_client(settings)
    try:
        account = await AgentAccounts(client, settings.key_prefix).save(name, password, role)
        print(f"saved {account.role} account {account.name}")
    finally:
        await client.close()


async def _list_agents(settings: RedisSettings) -> None:
    client = async_client(settings)
    try:
        for account in await AgentAccounts(client, settings.key_prefix).all():
            print(f"{account.name}\t{account.role}")
    finally:
        await client.close()


async def seed_agents(settings: RedisSettings, raw: str) -> int:
    """Creates or updates the ``CONSOLE_AGENTS`` accounts; returns how many."""
    accounts = parse_agents_setting(raw)
    client = async_client(settings)
    try:
        store = AgentAccounts(client, settings.key_prefix)
        for name, password, role in accounts:
            await store.save(name, password, role)
    finally:
        await client.close()
    return len(accounts)


def serve(settings: RedisSettings, port: int, host: str) -> None:
    from bot.console.app import make_app

    raw_agents = os.environ.get("CONSOLE_AGENTS", "")
    if raw_agents:
        count = asyncio.run(seed_agents(settings, raw_agents))
        logging.getLogger(__name__).info("CONSOLE_AGENTS: %d accounts created or updated", count)

    idle_seconds = int_from_env(os.environ, "CONSOLE_IDLE_RETURN_SECONDS", 15 * 60)
    if idle_seconds <= 0:
        raise SettingsError("CONSOLE_IDLE_RETURN_SECONDS must be positive")

    async def build() -> web.Application:
        return make_app(
            async_client(settings), async_client(settings, decode_responses=False), settings.key_prefix,
            idle_return_seconds=idle_seconds,
            idle_check_seconds=min(5.0, max(0.5, idle_seconds / 4)),
            secure_cookie=os.environ.get("CONSOLE_COOKIE_SECURE", "").lower() in ("1", "true", "yes"),
            retention_sweep_seconds=float(os.environ.get("RETENTION_SWEEP_SECONDS") or 3600),
            **({"nlu_dir": Path(os.environ["CONSOLE_NLU_DIR"])} if os.environ.get("CONSOLE_NLU_DIR") else {}),
        )

    web.run_app(build(), host=host, port=port, access_log=None, print=lambda *_: None)


def main(argv: Optional[List[str]] = None) -> int:
    from bot.privacy.logs import mask_log_records

    mask_log_records()
    parser = argparse.ArgumentParser(prog="python -m bot.console", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command")
    serve_parser = commands.add_parser("serve", help="run the console (default)")
    serve_parser.add_argument("--port", type=int, default=None)
    agents = commands.add_parser("agents", help="manage agent accounts").add_subparsers(dest="action", required=True)
    add = agents.add_parser("add", help="create an account or set its password and role (password from stdin)")
    add.add_argument("name")
    add.add_argument("--role", choices=["agent", "supervisor"], default="agent")
    agents.add_parser("list", help="list the accounts")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = RedisSettings.from_env()
        if args.command == "agents":
            if args.action == "list":
                asyncio.run(_list_agents(settings))
                return 0
            asyncio.run(_add_agent(settings, args.name, args.role, _password_from_stdin()))
            return 0
        port = args.port if getattr(args, "port", None) else int_from_env(os.environ, "CONSOLE_PORT", DEFAULT_PORT)
        serve(settings, port, os.environ.get("CONSOLE_HOST", "0.0.0.0"))
    except (AccountError, SettingsError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
