"""The action server's recommender client against real HTTP servers on loopback: refusals, outages, retry."""

from __future__ import annotations

import asyncio

import pytest
from aiohttp import web

from bot.dialogue.recommender_client import RecommenderClient, RecommenderRefused, RecommenderUnavailable
from bot.runtime.embedded_redis import free_port


async def serve(handler) -> tuple[web.AppRunner, str]:
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner, f"http://127.0.0.1:{port}"


async def test_a_service_that_is_down_is_reported_as_unavailable_after_the_wait(monkeypatch):
    monkeypatch.setenv("RECOMMENDER_WAIT_SECONDS", "0.5")
    client = RecommenderClient(f"http://127.0.0.1:{free_port()}")
    started = asyncio.get_running_loop().time()
    with pytest.raises(RecommenderUnavailable):
        await client.recommend("c1", "跑步鞋", {})
    assert 0.3 < asyncio.get_running_loop().time() - started < 3


async def test_a_restarting_service_is_waited_for():
    port = free_port()

    async def ok(_request):
        return web.json_response({"products": [], "message": "ok"})

    async def come_back():
        await asyncio.sleep(1.0)
        app = web.Application()
        app.router.add_post("/recommend", ok)
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        return runner

    back = asyncio.create_task(come_back())
    assert (await RecommenderClient(f"http://127.0.0.1:{port}").recommend("c1", "", {}))["message"] == "ok"
    await (await back).cleanup()


async def test_one_failure_is_retried_once():
    calls = []

    async def flaky(request):
        calls.append(request.path)
        if len(calls) == 1:
            return web.json_response({"error": "internal_error"}, status=500)
        return web.json_response({"products": [], "message": "ok"})

    runner, url = await serve(flaky)
    try:
        assert (await RecommenderClient(url).recommend("c1", "", {}))["message"] == "ok"
        assert calls == ["/recommend", "/recommend"]
    finally:
        await runner.cleanup()


async def test_a_refusal_is_not_retried_and_names_the_condition():
    calls = []

    async def refuse(request):
        calls.append(request.path)
        return web.json_response({"error": "unknown_brand", "field": "conditions.brand", "message": "本店没有"},
                                 status=400)

    runner, url = await serve(refuse)
    try:
        with pytest.raises(RecommenderRefused) as refused:
            await RecommenderClient(url).recommend("c1", "", {"brand": "X"})
        assert refused.value.field == "conditions.brand" and len(calls) == 1
    finally:
        await runner.cleanup()


async def test_a_lost_event_never_raises(monkeypatch):
    monkeypatch.setenv("RECOMMENDER_WAIT_SECONDS", "0.3")
    client = RecommenderClient(f"http://127.0.0.1:{free_port()}")
    await client.record_event("c1", "asked", "SKU10001")  # nothing listens: logged, not raised
