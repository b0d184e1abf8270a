"""Append-only logs (Redis streams) whose entries can be found again per person, for erasure.

Analytics read the streams in time order; erasure (删除个人数据, bot/privacy)
must find one person's entries among millions without reading them all.  So
every entry is added together with its id on the list of each person it is
about, in one Lua script: ``<p>:privacy:entries:<subject>`` holds
``"<stream key> <entry id>"``.  A subject is ``customer:<id>``, ``chat:<sender>``
or a channel account (``wechat:<openid>``), as :func:`bot.store.customer_memory.memory_key`
and the conversation id name people.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

import redis.asyncio

# Longer than any stream's retention (bot/privacy/retention.py): the list outlives its entries.
ENTRY_INDEX_TTL_SECONDS = 400 * 24 * 3600

# KEYS: the stream, then one entry list per subject.  ARGV: max length, list TTL, field, value, ...
_ADD = """
local fields = {}
for i = 3, #ARGV do fields[#fields + 1] = ARGV[i] end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', unpack(fields))
for i = 2, #KEYS do
  redis.call('RPUSH', KEYS[i], KEYS[1] .. ' ' .. id)
  redis.call('EXPIRE', KEYS[i], ARGV[2])
end
return id
"""


def entries_key(key_prefix: str, subject: str) -> str:
    return f"{key_prefix}:privacy:entries:{subject}"


class PersonalStream:
    """One stream (``<p>:events``, ``<p>:analytics:turns`` …) written with its per-person entry lists."""

    def __init__(self, client: redis.asyncio.Redis, key_prefix: str, key: str, max_length: int) -> None:
        self.key = key
        self._prefix = key_prefix
        self._max_length = max_length
        self._add = client.register_script(_ADD)

    async def add(self, fields: Mapping[str, Any], subjects: Iterable[str], pipe: Any = None) -> Any:
        """Adds the entry: queued on ``pipe`` when given (its id among the pipeline's results), else now (its id)."""
        keys = [self.key] + [entries_key(self._prefix, subject) for subject in dict.fromkeys(subjects) if subject]
        args = [self._max_length, ENTRY_INDEX_TTL_SECONDS]
        for name, value in fields.items():
            args += [name, "" if value is None else str(value)]
        return await self._add(keys=keys, args=args, client=pipe)


async def erase_entries(client: redis.asyncio.Redis, key_prefix: str, subject: str) -> int:
    """Deletes every stream entry about ``subject`` and its list; how many entries were deleted."""
    key = entries_key(key_prefix, subject)
    by_stream: dict = {}
    for raw in await client.lrange(key, 0, -1):
        stream, _, entry_id = (raw.decode() if isinstance(raw, bytes) else raw).rpartition(" ")
        by_stream.setdefault(stream, []).append(entry_id)
    deleted = 0
    for stream, ids in by_stream.items():
        for start in range(0, len(ids), 1000):
            deleted += await client.xdel(stream, *ids[start:start + 1000])
    await client.delete(key)
    return deleted


__all__ = ["ENTRY_INDEX_TTL_SECONDS", "PersonalStream", "entries_key", "erase_entries"]
