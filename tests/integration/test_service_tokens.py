"""Internal services refuse callers without their token (bot/identity/service_tokens.py).

The action server of the test session runs with ACTION_SERVER_TOKEN (rasa_sdk_plugins/), and every
dialogue test goes through it with the token Rasa sends from endpoints.yml.  The recommender's guard is
tested on its middleware, in a real aiohttp server.
"""

from __future__ import annotations

import requests
from aiohttp import ClientSession, web
from aiohttp.test_utils import TestServer

from bot.recommender.service import _callers_with_token
from tests.integration.conftest import ACTION_SERVER_TOKEN


def test_the_action_server_runs_nothing_for_a_caller_without_its_token(actions):
    tracker = {"sender_id": "intruder", "slots": {}, "events": [], "paused": False, "followup_action": None,
               "active_loop": {}, "latest_action_name": None,
               "latest_message": {"text": "你好", "intent": {"name": "greet"}, "entities": [], "metadata": {}}}
    call = {"next_action": "action_greet", "sender_id": "intruder", "tracker": tracker, "domain": {},
            "version": "3.6.21"}
    assert requests.post(actions, json=call, timeout=10).status_code == 401
    assert requests.post(actions, params={"token": "guess"}, json=call, timeout=10).status_code == 401
    assert requests.post(actions, params={"token": ACTION_SERVER_TOKEN}, json=call, timeout=30).status_code == 200
    assert requests.get(actions.replace("/webhook", "/health"), timeout=10).status_code == 200


async def test_the_recommender_answers_only_callers_with_its_token():
    async def ok(_request):
        return web.json_response({"ok": True})

    app = web.Application(middlewares=[_callers_with_token("rec-token")])
    for path in ("/recommend", "/health", "/admin/catalog"):
        app.router.add_get(path, ok)
    async with TestServer(app) as server, ClientSession() as session:
        async def status(path, **headers):
            async with session.get(server.make_url(path), headers=headers) as answer:
                return answer.status

        assert await status("/recommend") == 401
        assert await status("/recommend", Authorization="Bearer wrong") == 401
        assert await status("/recommend", Authorization="Bearer rec-token") == 200
        assert await status("/health") == 200
        assert await status("/admin/catalog") == 200  # guarded by its own admin token in the service
