"""``python -m bot.privacy export|erase|sweep``: the operator's side of customers' rights.

    python -m bot.privacy export CUSTOMER [--out FILE]   a proven customer's data as JSON
    python -m bot.privacy export --chat SENDER           one guest chat's data
    python -m bot.privacy erase CUSTOMER --yes           every key and stream entry about them
    python -m bot.privacy erase --chat SENDER --yes      one guest chat
    python -m bot.privacy sweep                          apply the retention limits once

Redis and the key prefix come from the environment (REDIS_URL, REDIS_KEY_PREFIX),
the privacy key from PRIVACY_KEY (export needs it to give back whole texts).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import List, Optional

from bot.privacy.erasure import Eraser
from bot.privacy.export import Exporter
from bot.privacy.logs import mask_log_records
from bot.privacy.retention import RetentionPolicy, RetentionSweeper
from bot.settings import RedisSettings
from bot.store.privacy_records import PrivacyRecords
from bot.store.redis_client import async_client
from bot.store.sealing import sealer_from_env


def parse(argv: Optional[List[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bot.privacy", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    for name in ("export", "erase"):
        command = commands.add_parser(name)
        command.add_argument("customer", nargs="?", help="the shop's customer id (the token's sub)")
        command.add_argument("--chat", help="a chat (Rasa sender id), for a guest")
        if name == "export":
            command.add_argument("--out", type=Path, help="write the JSON here instead of standard output")
        else:
            command.add_argument("--yes", action="store_true", help="really erase (it cannot be undone)")
    commands.add_parser("sweep")
    arguments = parser.parse_args(argv)
    if arguments.command != "sweep" and not (arguments.customer or arguments.chat):
        parser.error("name a CUSTOMER or a --chat")
    return arguments


async def run(arguments: argparse.Namespace) -> int:
    settings = RedisSettings.from_env()
    client = async_client(settings)
    try:
        records = PrivacyRecords(client, settings.key_prefix, sealer_from_env())
        eraser = Eraser(client, settings.key_prefix, records)
        if arguments.command == "sweep":
            done = await RetentionSweeper(client, settings.key_prefix, eraser, RetentionPolicy.from_env()).sweep()
            print(json.dumps(done))
            return 0
        subject = await eraser.subject(arguments.customer, arguments.chat)
        if not subject.chats and not arguments.customer:
            print("nothing is kept for that chat", file=sys.stderr)
            return 1
        if arguments.command == "export":
            document = await Exporter(client, settings.key_prefix, records).document(subject)
            await records.audit("export", "operator", subject.audit_name, {"chats": len(subject.chats)})
            text = json.dumps(document, ensure_ascii=False, indent=2)
            if arguments.out:
                arguments.out.write_text(text + "\n", encoding="utf-8")
            else:
                print(text)
            return 0
        if not arguments.yes:
            print(f"would erase {len(subject.chats)} chat(s) and everything kept about them; add --yes",
                  file=sys.stderr)
            return 2
        print(json.dumps((await eraser.erase(subject, "operator")).as_dict()))
        return 0
    finally:
        await client.close()


def main(argv: Optional[List[str]] = None) -> int:
    mask_log_records()
    try:
        return asyncio.run(run(parse(argv)))
    except ValueError as error:  # a malformed setting: say which
        print(f"error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
