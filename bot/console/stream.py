"""``GET /api/stream``: the console's server-sent events (``handoff``, ``message``, ``status``).

Every console replica subscribes to the index's Redis pub/sub channel, so an
event published by the action server, a rasa server or another console
reaches every agent's open stream.  Data is the conversation item, as JSON.
"""

from __future__ import annotations

import asyncio
import json
import logging

import redis.asyncio
from aiohttp import web
from aiohttp_sse import sse_response

logger = logging.getLogger(__name__)

PING_SECONDS = 15


async def stream_events(request: web.Request, client: redis.asyncio.Redis, channel: str) -> web.StreamResponse:
    pubsub = client.pubsub(ignore_subscribe_messages=True)
    await pubsub.subscribe(channel)
    try:
        async with sse_response(request) as response:
            response.ping_interval = PING_SECONDS
            await response.send(json.dumps({"agent": request["agent"].name}), event="ready")
            while response.is_connected():
                try:
                    message = await pubsub.get_message(timeout=1.0)
                except (redis.RedisError, OSError) as error:
                    logger.warning("event stream lost Redis (%s); the browser will reconnect", error)
                    break
                if not message or not isinstance(message.get("data"), str):
                    continue
                try:
                    event = json.loads(message["data"])
                    await response.send(json.dumps(event["data"], ensure_ascii=False), event=event["event"])
                except (ValueError, KeyError, TypeError):
                    logger.warning("dropped a malformed console event")
                except (ConnectionResetError, asyncio.CancelledError):
                    break
        return response
    finally:
        try:
            await pubsub.close()
        except Exception:
            pass
