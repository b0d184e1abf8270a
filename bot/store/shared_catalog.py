"""The catalog (商品目录) every recommender replica serves, kept in Redis.

A shop changes its catalog through one recommender (``POST /admin/catalog``,
``POST /admin/stock``); that replica checks it, serves it, and publishes it
here.  The others see the new version (one ``HGET`` per second each) and load
it, so every replica behind a load balancer serves the same products, and a
replica that starts later, on a machine that never saw the upload, starts with
it too.

The catalog is kept whole as JSON lines, compressed and base64-encoded (text,
like every other value of ours: tools that read Redis as UTF-8 keep working;
10,000 products made of copies of the demo catalog are 6.4 MB of JSON lines and
1.8 MB stored, a real catalog compresses somewhat less), beside the version its content hash gives
(:attr:`bot.catalog.model.Catalog.version`).  A stock update changes the catalog
it was computed from: it is published only if that catalog is still the
shared one (:meth:`SharedCatalog.publish` with ``based_on``), so two replicas
taking stock reports at the same moment cannot undo each other's.

Key: ``<p>:catalog:shared`` (hash: ``version``, ``jsonl`` zlib-compressed and
base64-encoded, ``published_at`` in seconds).
"""

from __future__ import annotations

import base64
import time
import zlib
from typing import Optional, Tuple

import redis
import redis.asyncio

# KEYS: the hash.  ARGV: based_on ("" for none), version, compressed catalog, time.  -> 1 written, 0 not
_PUBLISH = """
if ARGV[1] ~= '' then
  local current = redis.call('HGET', KEYS[1], 'version')
  if current and current ~= ARGV[1] then return 0 end
end
redis.call('HSET', KEYS[1], 'version', ARGV[2], 'jsonl', ARGV[3], 'published_at', ARGV[4])
return 1
"""


def catalog_key(key_prefix: str) -> str:
    return f"{key_prefix}:catalog:shared"


def _text(value) -> Optional[str]:
    return value.decode() if isinstance(value, bytes) else value


def _packed(jsonl: bytes) -> str:
    return base64.b64encode(zlib.compress(jsonl, 6)).decode("ascii")


def _unpacked(value) -> bytes:
    return zlib.decompress(base64.b64decode(value))


class SharedCatalog:
    """The shared catalog of the recommenders on one Redis key prefix."""

    def __init__(self, client: redis.asyncio.Redis, key_prefix: str) -> None:
        self._redis = client
        self.key = catalog_key(key_prefix)
        self._publish = client.register_script(_PUBLISH)

    async def version(self) -> Optional[str]:
        """The version published last, or None before any."""
        return _text(await self._redis.hget(self.key, "version"))

    async def load(self) -> Optional[Tuple[str, bytes]]:
        """(version, JSON lines) of the shared catalog, or None before any."""
        return _decoded(*await self._redis.hmget(self.key, _FIELDS))

    async def publish(self, version: str, jsonl: bytes, based_on: Optional[str] = None) -> bool:
        """Makes ``jsonl`` the shared catalog; with ``based_on``, only if that version is still the shared one.

        False: another replica published a different catalog first (the caller
        loads it and tries again).  No catalog published yet counts as any base.
        """
        written = await self._publish(keys=[self.key], args=[
            based_on or "", version, _packed(jsonl), f"{time.time():.3f}"])
        return bool(written)


def load_shared_catalog_now(client: redis.Redis, key_prefix: str) -> Optional[Tuple[str, bytes]]:
    """:meth:`SharedCatalog.load` for a process starting up, before its event loop runs."""
    return _decoded(*client.hmget(catalog_key(key_prefix), _FIELDS))


_FIELDS = ["version", "jsonl"]


def _decoded(version, compressed) -> Optional[Tuple[str, bytes]]:
    if version is None or compressed is None:
        return None
    return _text(version), _unpacked(compressed)
