"""Multi-turn conversations in natural text through the run command's bot on the REST channel.

`make bench-conversations` starts the whole bot on free ports, plays every conversation of
`bench/data/conversations.yml` (written apart from the code and the training data, from the
contracts), and scores each customer turn the way an outside reviewer reads the replies:

* ``cards``: a ``product_cards`` payload whose every product honours every condition stated
  so far (category, brand, colour, size, price range, in stock), unless the payload names the
  condition as ``relaxed``; wanted attributes (tags) on at least one card when the catalog has
  them; other products than the turn before when asked for more.
* ``ask_category`` · ``ask_order`` · ``ask_login`` · ``order_status`` · ``handoff``: the reply
  asks for, or does, that; ``answer`` with a ``topic``: a reply on that topic, not a fallback.
* a handoff where none was expected fails the turn, as does a fallback anywhere.

A conversation passes when every turn passes.  Every set of ``SETS`` is played: the development
sets the understanding rules were tuned on, and the held-out sets nobody read while tuning.  Figures
go to docs/benchmarks.md; every failed conversation, with the bot's replies, to
``$SHOPBOT_BENCH_OUT`` (default /tmp/conversation_failures.json).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Optional

import aiohttp
import jwt
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import percentile, start_bot, wait_http  # noqa: E402
from bench.report import write_section  # noqa: E402
from bot.catalog.model import Product, load_demo_catalog  # noqa: E402
from bot.language.colors import color_family  # noqa: E402
from bot.language.sizes import canonical_size  # noqa: E402
from bot.runtime.embedded_redis import free_port  # noqa: E402

DATA = Path(__file__).resolve().parent / "data" / "conversations.yml"
HELDOUT = Path(__file__).resolve().parent / "data" / "conversations_heldout.yml"
HELDOUT_2 = Path(__file__).resolve().parent / "data" / "conversations_heldout2.yml"
DEV_2 = Path(__file__).resolve().parent / "data" / "conversations_dev2.yml"
DEV_3 = Path(__file__).resolve().parent / "data" / "conversations_dev3.yml"
DEV_4 = Path(__file__).resolve().parent / "data" / "conversations_dev4.yml"
HELDOUT_3 = Path(__file__).resolve().parent / "data" / "conversations_heldout3.yml"
DEV_5 = Path(__file__).resolve().parent / "data" / "conversations_dev5.yml"
HELDOUT_4 = Path(__file__).resolve().parent / "data" / "conversations_heldout4.yml"
DEV_6 = Path(__file__).resolve().parent / "data" / "conversations_dev6.yml"
DEV_7 = Path(__file__).resolve().parent / "data" / "conversations_dev7.yml"
DEV_8 = Path(__file__).resolve().parent / "data" / "conversations_dev8.yml"
DEV_9 = Path(__file__).resolve().parent / "data" / "conversations_dev9.yml"
DEV_10 = Path(__file__).resolve().parent / "data" / "conversations_dev10.yml"
HELDOUT_5 = Path(__file__).resolve().parent / "data" / "conversations_heldout5.yml"
HELDOUT_6 = Path(__file__).resolve().parent / "data" / "conversations_heldout6.yml"
DEV_11 = Path(__file__).resolve().parent / "data" / "conversations_dev11.yml"
DEV_12 = Path(__file__).resolve().parent / "data" / "conversations_dev12.yml"
HELDOUT_7 = Path(__file__).resolve().parent / "data" / "conversations_heldout7.yml"
DEV_13 = Path(__file__).resolve().parent / "data" / "conversations_dev13.yml"
HELDOUT_8 = Path(__file__).resolve().parent / "data" / "conversations_heldout8.yml"
DEV_14 = Path(__file__).resolve().parent / "data" / "conversations_dev14.yml"
DEV_15 = Path(__file__).resolve().parent / "data" / "conversations_dev15.yml"
DEV_16 = Path(__file__).resolve().parent / "data" / "conversations_dev16.yml"
DEV_17 = Path(__file__).resolve().parent / "data" / "conversations_dev17.yml"
HELDOUT_9 = Path(__file__).resolve().parent / "data" / "conversations_heldout9.yml"
DEV_18 = Path(__file__).resolve().parent / "data" / "conversations_dev18.yml"
DEV_19 = Path(__file__).resolve().parent / "data" / "conversations_dev19.yml"
DEV_20 = Path(__file__).resolve().parent / "data" / "conversations_dev20.yml"
DEV_21 = Path(__file__).resolve().parent / "data" / "conversations_dev21.yml"
HELDOUT_11 = Path(__file__).resolve().parent / "data" / "conversations_heldout11.yml"
DEV_22 = Path(__file__).resolve().parent / "data" / "conversations_dev22.yml"
HELDOUT_12 = Path(__file__).resolve().parent / "data" / "conversations_heldout12.yml"
DEV_23 = Path(__file__).resolve().parent / "data" / "conversations_dev23.yml"
DEV_24 = Path(__file__).resolve().parent / "data" / "conversations_dev24.yml"
HELDOUT_13 = Path(__file__).resolve().parent / "data" / "conversations_heldout13.yml"
DEV_25 = Path(__file__).resolve().parent / "data" / "conversations_dev25.yml"
HELDOUT_14 = Path(__file__).resolve().parent / "data" / "conversations_heldout14.yml"
DEV_26 = Path(__file__).resolve().parent / "data" / "conversations_dev26.yml"
HELDOUT_15 = Path(__file__).resolve().parent / "data" / "conversations_heldout15.yml"
HELDOUT_16 = Path(__file__).resolve().parent / "data" / "conversations_heldout16.yml"
HELDOUT_17 = Path(__file__).resolve().parent / "data" / "conversations_heldout17.yml"
DEV_27 = Path(__file__).resolve().parent / "data" / "conversations_dev27.yml"
DEV_28 = Path(__file__).resolve().parent / "data" / "conversations_dev28.yml"
DEV_29 = Path(__file__).resolve().parent / "data" / "conversations_dev29.yml"
HELDOUT_18 = Path(__file__).resolve().parent / "data" / "conversations_heldout18.yml"
HELDOUT_19 = Path(__file__).resolve().parent / "data" / "conversations_heldout19.yml"
HELDOUT_20 = Path(__file__).resolve().parent / "data" / "conversations_heldout20.yml"
DEV_32 = Path(__file__).resolve().parent / "data" / "conversations_dev32.yml"
HELDOUT_21 = Path(__file__).resolve().parent / "data" / "conversations_heldout21.yml"
HELDOUT_22 = Path(__file__).resolve().parent / "data" / "conversations_heldout22.yml"
DEV_33 = Path(__file__).resolve().parent / "data" / "conversations_dev33.yml"
DEV_34 = Path(__file__).resolve().parent / "data" / "conversations_dev34.yml"
DEV_35 = Path(__file__).resolve().parent / "data" / "conversations_dev35.yml"
HELDOUT_23 = Path(__file__).resolve().parent / "data" / "conversations_heldout23.yml"
DEV_36 = Path(__file__).resolve().parent / "data" / "conversations_dev36.yml"
HELDOUT_24 = Path(__file__).resolve().parent / "data" / "conversations_heldout24.yml"
DEV_37 = Path(__file__).resolve().parent / "data" / "conversations_dev37.yml"
DEV_38 = Path(__file__).resolve().parent / "data" / "conversations_dev38.yml"
HELDOUT_25 = Path(__file__).resolve().parent / "data" / "conversations_heldout25.yml"
DEV_39 = Path(__file__).resolve().parent / "data" / "conversations_dev39.yml"
HELDOUT_26 = Path(__file__).resolve().parent / "data" / "conversations_heldout26.yml"
DEV_40 = Path(__file__).resolve().parent / "data" / "conversations_dev40.yml"
HELDOUT_27 = Path(__file__).resolve().parent / "data" / "conversations_heldout27.yml"
DEV_41 = Path(__file__).resolve().parent / "data" / "conversations_dev41.yml"
DEV_42 = Path(__file__).resolve().parent / "data" / "conversations_dev42.yml"
HELDOUT_28 = Path(__file__).resolve().parent / "data" / "conversations_heldout28.yml"
HELDOUT_29 = Path(__file__).resolve().parent / "data" / "conversations_heldout29.yml"
HELDOUT_30 = Path(__file__).resolve().parent / "data" / "conversations_heldout30.yml"
DEV_43 = Path(__file__).resolve().parent / "data" / "conversations_dev43.yml"
DEV_44 = Path(__file__).resolve().parent / "data" / "conversations_dev44.yml"
HELDOUT_31 = Path(__file__).resolve().parent / "data" / "conversations_heldout31.yml"
HELDOUT_32 = Path(__file__).resolve().parent / "data" / "conversations_heldout32.yml"
DEV_45 = Path(__file__).resolve().parent / "data" / "conversations_dev45.yml"
HELDOUT_33 = Path(__file__).resolve().parent / "data" / "conversations_heldout33.yml"
HELDOUT_34 = Path(__file__).resolve().parent / "data" / "conversations_heldout34.yml"
DEV_46 = Path(__file__).resolve().parent / "data" / "conversations_dev46.yml"
DEV_47 = Path(__file__).resolve().parent / "data" / "conversations_dev47.yml"
HELDOUT_35 = Path(__file__).resolve().parent / "data" / "conversations_heldout35.yml"
DEV_48 = Path(__file__).resolve().parent / "data" / "conversations_dev48.yml"
HELDOUT_36 = Path(__file__).resolve().parent / "data" / "conversations_heldout36.yml"
HELDOUT_37 = Path(__file__).resolve().parent / "data" / "conversations_heldout37.yml"
DEV_49 = Path(__file__).resolve().parent / "data" / "conversations_dev49.yml"
HELDOUT_38 = Path(__file__).resolve().parent / "data" / "conversations_heldout38.yml"
DEV_50 = Path(__file__).resolve().parent / "data" / "conversations_dev50.yml"
HELDOUT_39 = Path(__file__).resolve().parent / "data" / "conversations_heldout39.yml"
DEV_51 = Path(__file__).resolve().parent / "data" / "conversations_dev51.yml"
DEV_52 = Path(__file__).resolve().parent / "data" / "conversations_dev52.yml"
HELDOUT_40 = Path(__file__).resolve().parent / "data" / "conversations_heldout40.yml"
DEV_53 = Path(__file__).resolve().parent / "data" / "conversations_dev53.yml"
HELDOUT_41 = Path(__file__).resolve().parent / "data" / "conversations_heldout41.yml"
DEV_54 = Path(__file__).resolve().parent / "data" / "conversations_dev54.yml"
DEV_55 = Path(__file__).resolve().parent / "data" / "conversations_dev55.yml"
HELDOUT_42 = Path(__file__).resolve().parent / "data" / "conversations_heldout42.yml"
DEV_56 = Path(__file__).resolve().parent / "data" / "conversations_dev56.yml"
HELDOUT_43 = Path(__file__).resolve().parent / "data" / "conversations_heldout43.yml"
DEV_57 = Path(__file__).resolve().parent / "data" / "conversations_dev57.yml"
HELDOUT_44 = Path(__file__).resolve().parent / "data" / "conversations_heldout44.yml"
DEV_58 = Path(__file__).resolve().parent / "data" / "conversations_dev58.yml"
HELDOUT_45 = Path(__file__).resolve().parent / "data" / "conversations_heldout45.yml"
DEV_59 = Path(__file__).resolve().parent / "data" / "conversations_dev59.yml"
DEV_60 = Path(__file__).resolve().parent / "data" / "conversations_dev60.yml"
DEV_61 = Path(__file__).resolve().parent / "data" / "conversations_dev61.yml"
HELDOUT_46 = Path(__file__).resolve().parent / "data" / "conversations_heldout46.yml"
DEV_62 = Path(__file__).resolve().parent / "data" / "conversations_dev62.yml"
HELDOUT_47 = Path(__file__).resolve().parent / "data" / "conversations_heldout47.yml"
DEV_63 = Path(__file__).resolve().parent / "data" / "conversations_dev63.yml"
DEV_64 = Path(__file__).resolve().parent / "data" / "conversations_dev64.yml"
DEV_65 = Path(__file__).resolve().parent / "data" / "conversations_dev65.yml"
HELDOUT_48 = Path(__file__).resolve().parent / "data" / "conversations_heldout48.yml"
DEV_66 = Path(__file__).resolve().parent / "data" / "conversations_dev66.yml"
HELDOUT_49 = Path(__file__).resolve().parent / "data" / "conversations_heldout49.yml"
DEV_67 = Path(__file__).resolve().parent / "data" / "conversations_dev67.yml"
DEV_68 = Path(__file__).resolve().parent / "data" / "conversations_dev68.yml"
DEV_30 = Path(__file__).resolve().parent / "data" / "conversations_dev30.yml"
DEV_31 = Path(__file__).resolve().parent / "data" / "conversations_dev31.yml"
HELDOUT_10 = Path(__file__).resolve().parent / "data" / "conversations_heldout10.yml"
TOKEN_SECRET = "bench-conversations-secret-0123456789abcdef"

FALLBACK = re.compile(r"没太理解|没理解|没听懂|没看懂|换个说法")
# Telling a customer already handed over where they are in the queue is no new handoff.
STILL_QUEUED = re.compile(r"您正在排队等待人工客服")
_ALL_SHOWN = r"都给您看过|没有更多|没有其他|都在这|就是刚才那几款|刚才都看过"
HANDED_OFF = re.compile(r"正在为您转接人工|排队等待人工|转接人工客服|请人工客服来|不是人工客服的工作时间|人工客服正在为您服务|人工客服「")
ASKS = {
    "ask_category": re.compile(r"哪一类|哪类|什么类|哪种|哪一种|品类|什么商品|想看哪|想买什么|哪方面|喜欢什么"),
    "ask_order": re.compile(r"订单号|哪个订单|哪一单|哪笔|哪一笔|哪个单|选一下.*订单|以下订单|您的订单有|最近的订单|下面的订单|订单：|DD\d{6,}"),
    "ask_login": re.compile(r"登录|绑定"),
    # the order system's states (待付款 · 待发货 · 已发货 · 已签收 · 退款中 · 已取消) or a parcel's progress
    "order_status": re.compile(r"DD\d{6,}.*(?:已发货|运输|派送|待发货|已签收|签收|揽收|到达|出库|配送|发货|待付款|退款中|已经取消|已取消)"
                               r"|(?:已发货|运输中|派送中|待发货|已签收|待付款|退款中|已取消).*DD\d{6,}", re.S),
}
TOPICS = {
    "shipping": r"发货|包邮|运费|快递|配送|顺丰|送达|物流|邮费",
    "payment": r"支付|付款|发票|分期|花呗|信用卡|微信|支付宝|白条",
    "promotion": r"优惠|券|满减|活动|折扣|降价|价保|保价|差价|便宜|促销|会员|积分",
    "size_advice": r"码|尺码|尺寸|偏大|偏小|身高|体重|脚长",
    "stock": r"有货|库存|现货|缺货|补货|售罄|没货|到货|还有",
    "compare": r"对比|相比|区别|比较|更|而|两款|都",
    "return_refund": r"退",
    "exchange": r"换",
    "cancel": r"取消",
    "change_order": r"修改|改|地址|电话|收货",
    "alert": r"提醒|通知",
    "privacy": r"删除|导出|数据|记录",
    "bot_identity": r"机器人|智能|助手|AI|ai|小助手|客服",
    "greet": r"您好|你好|欢迎|在的|哈喽|嗨",
    "goodbye": r"再见|拜拜|欢迎再来|下次|慢走|随时",
    "thank": r"不客气|不用谢|很高兴|应该的|随时|客气",
}


@dataclass
class Reply:
    texts: list[str] = field(default_factory=list)
    cards: Optional[dict] = None
    seconds: float = 0.0

    @property
    def text(self) -> str:
        return "\n".join(self.texts)


@dataclass
class Context:
    catalog: Any
    previous_cards: list[str] = field(default_factory=list)
    shown_before: set[str] = field(default_factory=set)  # every card shown earlier in the conversation
    handed_off: bool = False  # a handoff the reviewer expected happened earlier in the conversation


def customer_token(customer: str) -> Optional[str]:
    if not customer or customer == "guest":
        return None
    return jwt.encode({"sub": customer, "exp": int(time.time()) + 7200}, TOKEN_SECRET, algorithm="HS256")


def matching(products: Iterable[Product], conditions: dict, relaxed: Iterable[str] = ()) -> list[Product]:
    return [product for product in products if not product_problems(product_row(product), conditions, relaxed)]


def product_row(product: Product) -> dict:
    return {"id": product.id, "category": product.category, "brand": product.brand, "price": product.price,
            "colors": list(product.colors), "sizes": list(product.sizes), "stock": product.stock,
            "title": product.title, "tags": list(product.tags), "description": product.description}


def product_problems(card: dict, conditions: dict, relaxed: Iterable[str] = ()) -> list[str]:
    """The stated conditions this card breaks (relaxed ones excepted)."""
    relaxed = set(relaxed)
    problems = []
    categories = conditions.get("categories") or []
    if categories and card.get("category") not in categories:
        problems.append(f"category {card.get('category')} not in {categories}")
    if conditions.get("brand") and "brand" not in relaxed and card.get("brand") != conditions["brand"]:
        problems.append(f"brand {card.get('brand')} != {conditions['brand']}")
    price = float(card.get("price") or 0)
    if "budget" not in relaxed:
        if conditions.get("price_min") is not None and price < float(conditions["price_min"]):
            problems.append(f"price {price:g} < {conditions['price_min']}")
        if conditions.get("price_max") is not None and price > float(conditions["price_max"]):
            problems.append(f"price {price:g} > {conditions['price_max']}")
    if conditions.get("color") and "color" not in relaxed:
        wanted = color_family(conditions["color"]) or conditions["color"]
        if wanted not in {color_family(c) or c for c in card.get("colors") or []}:
            problems.append(f"colour {conditions['color']} not in {card.get('colors')}")
    if conditions.get("size") and "size" not in relaxed:
        wanted = canonical_size(str(conditions["size"])) or str(conditions["size"])
        if wanted not in {canonical_size(s) or s for s in card.get("sizes") or []}:
            problems.append(f"size {conditions['size']} not in {card.get('sizes')}")
    if int(card.get("stock") or 0) <= 0:
        problems.append("out of stock")
    return problems


def holds_tag(card: dict, tag: str) -> bool:
    return tag in " ".join([*(card.get("tags") or []), card.get("title") or "", card.get("description") or ""])


# relaxed_ok may name a condition by its key in ``conditions``; the bot's cards name it as below
RELAXED_NAMES = {"price_min": "budget", "price_max": "budget", "colour": "color"}


def judge(turn: dict, reply: Reply, context: Context) -> list[str]:
    """Why this turn fails; empty when it passes."""
    expected = turn.get("expect") or "not_fallback"
    outcomes = expected if isinstance(expected, list) else [expected]
    reasons: list[str] = []
    for outcome in outcomes:
        problems = _judge_one(outcome, turn, reply, context)
        if not problems:
            return []
        reasons.append(f"{outcome}: {'; '.join(problems)}")
    return reasons


def _judge_one(outcome: str, turn: dict, reply: Reply, context: Context) -> list[str]:
    text = reply.text
    problems = []
    if FALLBACK.search(text):
        problems.append("fallback reply")
    if outcome != "handoff" and HANDED_OFF.search(text) and not (context.handed_off and STILL_QUEUED.search(text)):
        problems.append("handed off")
    if outcome == "cards":
        problems += _judge_cards(turn, reply, context)
    elif outcome in ASKS:
        if not ASKS[outcome].search(text):
            problems.append(f"does not {outcome}")
        if outcome != "order_status" and reply.cards:
            problems.append("showed products instead")
    elif outcome == "handoff":
        if not HANDED_OFF.search(text):
            problems.append("no handoff")
    elif outcome == "answer":
        topic = turn.get("topic") or ""
        pattern = TOPICS.get(topic)
        if not text.strip():
            problems.append("no reply")
        elif pattern and not re.search(pattern, text):
            problems.append(f"not about {topic}")
        if topic not in ("product_info", "compare", "stock") and reply.cards:
            problems.append("showed products instead of answering")
    elif outcome == "not_fallback":
        if not text.strip():
            problems.append("no reply")
    else:
        problems.append(f"unknown outcome {outcome}")
    return problems


def _judge_cards(turn: dict, reply: Reply, context: Context) -> list[str]:
    conditions = turn.get("conditions") or {}
    if not reply.cards:
        # "all of them were shown" is an honest answer to 还有别的吗 when it is true
        if re.search(_ALL_SHOWN, reply.text) and context.shown_before \
                and {p.id for p in matching(context.catalog, conditions)} <= context.shown_before:
            return []
        return ["no product cards"]
    relaxed = reply.cards.get("relaxed") or []
    allowed = {RELAXED_NAMES.get(name, name) for name in turn.get("relaxed_ok") or []}
    problems = []
    # a condition the reviewer did not expect any more (the customer dropped it) may be relaxed freely
    stated = {"budget": "price_min" in conditions or "price_max" in conditions, "brand": "brand" in conditions,
              "color": "color" in conditions, "size": "size" in conditions}
    if {name for name in relaxed if stated.get(name, True)} - allowed:
        # relaxing is honest only when nothing (new, when more was asked for) matched all the conditions
        unseen = [p for p in matching(context.catalog, conditions)
                  if not (turn.get("different_from_previous") and p.id in context.previous_cards)]
        all_shown = re.search(_ALL_SHOWN, reply.text) and {p.id for p in unseen} <= context.shown_before
        if unseen and not all_shown:
            problems.append(f"relaxed {relaxed} although products match every condition")
    for card in reply.cards.get("products") or []:
        for problem in product_problems(card, conditions, relaxed):
            problems.append(f"{card.get('id')}: {problem}")
    tags = conditions.get("tags") or []
    if isinstance(tags, str):  # tags: 去屑 is one word wanted, not its characters
        tags = [tags]
    cards = reply.cards.get("products") or []
    # cards carry no tags or description: read them from the catalog, as a reviewer would open the page
    by_id = {product.id: product_row(product) for product in context.catalog}
    for tag in tags:
        available = [p for p in matching(context.catalog, conditions) if holds_tag(product_row(p), tag)]
        if available and not any(holds_tag(by_id.get(card.get("id"), card), tag) for card in cards):
            # others asked for after every product with the attribute was shown: fine if the reply says so
            if {p.id for p in available} <= context.shown_before and tag in reply.text \
                    and re.search(_ALL_SHOWN, reply.text):
                continue
            problems.append(f"no card is {tag} although {len(available)} matching products are")
    if turn.get("different_from_previous"):
        shown = [card.get("id") for card in cards]
        if set(shown) & set(context.previous_cards):
            problems.append("shows products of the turn before again")
    return problems


async def play(session: aiohttp.ClientSession, url: str, conversation: dict, run_id: str,
               context_catalog) -> dict:
    sender = f"bench-{run_id}-{conversation['id']}"
    token = customer_token(conversation.get("customer", "guest"))
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    context = Context(context_catalog)
    turns = []
    for turn in conversation["turns"]:
        reply = Reply()
        started = time.perf_counter()
        try:
            async with session.post(url, json={"sender": sender, "message": turn["user"]}, headers=headers,
                                    timeout=aiohttp.ClientTimeout(total=60)) as response:
                body = await response.json(content_type=None) if response.status == 200 else []
                if response.status != 200:
                    reply.texts.append(f"<HTTP {response.status}>")
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            body = []
            reply.texts.append(f"<{type(error).__name__}>")
        reply.seconds = time.perf_counter() - started
        for message in body or []:
            if message.get("text"):
                reply.texts.append(message["text"])
            custom = message.get("custom") or {}
            if custom.get("type") == "product_cards":
                reply.cards = custom
        reasons = judge(turn, reply, context)
        expected = turn.get("expect") or []
        if not reasons and "handoff" in (expected if isinstance(expected, list) else [expected]) \
                and HANDED_OFF.search(reply.text):
            context.handed_off = True
        if reply.cards:
            context.previous_cards = [card.get("id") for card in reply.cards.get("products") or []]
            context.shown_before.update(context.previous_cards)
        turns.append({"user": turn["user"], "expect": turn.get("expect"), "conditions": turn.get("conditions"),
                      "reply": reply.text, "cards": [(c.get("id"), c.get("category"), c.get("brand"), c.get("price"))
                                                     for c in (reply.cards or {}).get("products") or []],
                      "relaxed": (reply.cards or {}).get("relaxed"), "failed": reasons, "seconds": reply.seconds})
    return {"id": conversation["id"], "class": conversation.get("class", ""),
            "passed": not any(turn["failed"] for turn in turns), "turns": turns}


async def play_all(url: str, conversations: list, catalog) -> list:
    run_id = str(int(time.time()))
    async with aiohttp.ClientSession() as session:
        return [await play(session, url, conversation, run_id, catalog) for conversation in conversations]


def summarise(results: list) -> dict:
    by_class: dict[str, list[bool]] = defaultdict(list)
    for result in results:
        by_class[result["class"]].append(result["passed"])
    card_turns = [turn for result in results for turn in result["turns"]
                  if "cards" in (turn["expect"] if isinstance(turn["expect"], list) else [turn["expect"]])
                  and turn["cards"]]
    honoured = [turn for turn in card_turns
                if not any("category" in r or "brand" in r or "price" in r or "colour" in r or "size" in r
                           or "stock" in r for r in turn["failed"])]
    seconds = [turn["seconds"] for result in results for turn in result["turns"]]
    failures = Counter(reason.split(":")[0] for result in results for turn in result["turns"]
                       for reason in turn["failed"])
    return {
        "conversations": len(results), "passed": sum(r["passed"] for r in results),
        "by_class": {name: (sum(values), len(values)) for name, values in sorted(by_class.items())},
        "card_sets": len(card_turns), "card_sets_honoured": len(honoured),
        "turns": len(seconds), "p50_ms": 1000 * statistics.median(seconds) if seconds else 0.0,
        "p95_ms": 1000 * percentile(seconds, 0.95) if seconds else 0.0,
        "failed_outcomes": dict(failures.most_common()),
    }


# The sets, and what each one is honest about.
SETS = {
    "development": (DATA, "written by a helper that had not read the code or the training data; the "
                          "understanding rules were then tuned while reading its failures, so it flatters the bot"),
    "held-out 1": (HELDOUT, "written later by another helper that saw neither the code nor the first set; scored "
                            "once unread (60/80, 75.0%, 2026-12-01), its failures were read while tuning since then, "
                            "so it flatters the bot now"),
    "development 2": (DEV_2, "written 2026-12-02 by a helper from the contracts and catalog files only, aimed at "
                             "the classes held-out 2 showed weakest (refinements that sound like after-sales, "
                             "no handoff, context, budgets); read while tuning, so it flatters the bot"),
    "development 3": (DEV_3, "written 2026-12-02 by a helper from the contracts and catalog files only (brands and "
                             "product lines, two requests in one message, slang, attributes that add up); read "
                             "while tuning, so it flatters the bot"),
    "held-out 2": (HELDOUT_2, "written 2026-12-02 by a third helper that saw only the contracts, the catalog files "
                              "and the order-system document, and scored without reading its conversations"),
    "development 4": (DEV_4, "written 2026-12-02 (a later session) by a helper from the contracts and catalog files "
                             "only; read while tuning, so it flatters the bot"),
    "held-out 3": (HELDOUT_3, "written 2026-12-02 (a later session) by a helper that saw only the contracts, the "
                              "catalog files and the order-system document, at the same time as development 4 by "
                              "another; scored without reading its conversations: the honest figure"),
    "development 5": (DEV_5, "written 2026-12-02 (a third session) by a helper from the contracts and catalog files "
                             "only, aimed at long conversations, gift contexts and after-sales wording while "
                             "browsing; read while tuning, so it flatters the bot"),
    "held-out 4": (HELDOUT_4, "written 2026-12-02 (a third session) by a helper that saw only the contracts, the "
                              "catalog files and the order-system document, at the same time as development 5 by "
                              "another; never read: first scored at 75/100 (2026-12-02 16:57 UTC), before "
                              "development 6 was written and tuned on: the honest figure"),
    "development 6": (DEV_6, "written 2026-12-02 (the same session, after held-out 4 was scored) by a helper from the "
                             "contracts and catalog files only, aimed at the classes held-out 4 showed weakest (brands, "
                             "refinements, more, budgets, context); read while tuning, so it flatters the bot"),
    "development 7": (DEV_7, "written 2026-12-02 (a fourth session) by a helper from the contracts and catalog files "
                             "only, aimed at the classes the held-out sets showed weakest (brands, budgets, context, "
                             "more) in shoppers' slang; read while tuning, so it flatters the bot"),
    "development 8": (DEV_8, "written 2026-12-02 (a fourth session, at the same time as held-out 5 by another helper) "
                             "from the contracts and catalog files only, aimed at brands, context, refinements and "
                             "two requests in one message; read while tuning, so it flatters the bot"),
    "held-out 5": (HELDOUT_5, "written 2026-12-02 (a fourth session) by a helper that saw only the contracts, the "
                              "catalog files and the order-system document, after development 7's rules; never "
                              "read: the honest figure"),
    "development 9": (DEV_9, "written 2026-12-02 (a fifth session, after held-out 6 was first scored) by a helper "
                             "from the contracts and catalog files only, aimed at brands and product lines, context, "
                             "service questions in everyday words and budgets; read while tuning, so it flatters the bot"),
    "development 10": (DEV_10, "written 2026-12-02 (a fifth session) by a helper from the contracts and catalog files "
                               "only: longer conversations (3–5 turns) whose conditions pile up and change, with "
                               "questions about the products on the screen; read while tuning, so it flatters the bot"),
    "held-out 6": (HELDOUT_6, "written 2026-12-02 (a fifth session) by a helper that saw only the contracts, the "
                              "catalog files and the order-system document, after the rules for comparisons with one "
                              "product shown and size questions; never read: the honest figure"),
    "development 11": (DEV_11, "written 2026-12-03 (a seventh session) by a helper from the contracts and catalog "
                               "files only, aimed at attributes that add up, two requests in one message, service "
                               "questions while browsing and anger that does or does not ask for a person; first "
                               "scored unread, then read while tuning, so it flatters the bot"),
    "development 12": (DEV_12, "written 2026-12-03 (a seventh session, after development 11's rules) by a helper "
                               "from the contracts and catalog files only, 10 per class across the whole catalog; "
                               "first scored unread, then read while tuning, so it flatters the bot"),
    "held-out 7": (HELDOUT_7, "written 2026-12-03 (a seventh session, after the rules from development 11 and 12) "
                              "by a helper that saw only the contracts, the catalog files and the order-system "
                              "document; never read: the honest figure"),
    "development 13": (DEV_13, "written 2026-12-03 (an eighth session) by a helper from the contracts and catalog "
                               "files only, in the way shoppers type on a phone (fragments, slang, typos, numbers "
                               "written every way, orders asked about in everyday words); first scored unread, then "
                               "read while tuning, so it flatters the bot"),
    "held-out 8": (HELDOUT_8, "written 2026-12-03 (an eighth session, after development 13's first scoring) by a "
                              "helper that saw only the contracts and the catalog files, across the whole catalog "
                              "and every way of writing; never read: the honest figure"),
    "development 14": (DEV_14, "written 2026-12-03 (an eighth session, at the same time as held-out 8 by another "
                               "helper) from the contracts and catalog files only: presents and family, needs in the "
                               "shopper's own words, long browsing with questions about the cards, after-sales in "
                               "the middle of shopping; first scored unread, then read while tuning, so it flatters "
                               "the bot"),
    "development 15": (DEV_15, "written 2026-12-03 (an eighth session, after development 14's rules) by a helper "
                               "from the contracts and catalog files only: shoppers switching kinds and what carries "
                               "over, two kinds at once, service questions in the middle of shopping, orders asked "
                               "about in everyday words; first scored unread, then read while tuning, so it flatters "
                               "the bot"),
    "development 16": (DEV_16, "written 2026-12-03 (a ninth session) by a helper from the contracts and catalog "
                               "files only: gifts, logged-in customers going from orders to shopping and back, "
                               "corrections, questions about the cards, chit-chat in the middle of shopping; first "
                               "scored unread, then read while tuning, so it flatters the bot"),
    "development 17": (DEV_17, "written 2026-12-03 (a ninth session, after development 16's rules) by a helper "
                               "from the contracts and catalog files only: two things in one message, going back and "
                               "forth between kinds, vague and negative conditions, cards named by position, brand "
                               "or price, unhappy customers who may or may not want a person; first scored unread, "
                               "then read while tuning, so it flatters the bot"),
    "held-out 9": (HELDOUT_9, "written 2026-12-03 (a ninth session) by a helper that saw only the contracts and "
                              "the catalog files, told to test the bot as an outside reviewer would, about ten per "
                              "class; never read: the honest figure"),
    "development 18": (DEV_18, "written 2026-12-03 (a tenth session) by a helper from the contracts and catalog "
                               "files only, in the style of real shop chat logs (slang, numbers in every form, a "
                               "thought split over two messages, corrections, replies that need the turn before); "
                               "first scored unread, then read while tuning, so it flatters the bot"),
    "development 19": (DEV_19, "written 2026-12-03 (a tenth session, after held-out 10 was first scored) by a helper "
                               "from the contracts and catalog files only, aimed at the classes held-out 10 showed "
                               "weakest (brands said every way, messages that sound like they want a person but do "
                               "not, service questions in everyday words); first scored unread, then read while "
                               "tuning, so it flatters the bot"),
    "development 20": (DEV_20, "written 2026-12-03 (a tenth session, after held-out 10 showed the rules of the "
                               "earlier sets carry little to text written to vary its wording) by a helper from the "
                               "contracts and catalog files only, as an outside reviewer would, twenty on brands; "
                               "first scored unread, then read while tuning, so it flatters the bot"),
    "development 21": (DEV_21, "written 2026-12-03 (an eleventh session) by a helper from the contracts and catalog "
                               "files only, typed as on a phone, aimed at follow-up questions on a service answer, "
                               "service questions in the middle of shopping and kinds described, not named; first "
                               "scored unread, then read while tuning, so it flatters the bot"),
    "held-out 10": (HELDOUT_10, "written 2026-12-03 (a tenth session) by a helper that saw only the contracts and "
                                "the catalog files, told to test the bot as an outside reviewer would and to vary "
                                "the wording beyond the classes' examples; never read: the honest figure"),
    "held-out 11": (HELDOUT_11, "written 2026-12-03 (an eleventh session, after development 21's rules) by a helper "
                                "that saw only the contracts and the catalog files, told to cover the whole space as "
                                "an outside reviewer and to type as on a phone; never read: the honest figure"),
    "development 22": (DEV_22, "written 2026-12-04 (a twelfth session) by a helper from the contracts and catalog "
                               "files only, aimed at the weakest classes of the unread sets (questions about the "
                               "cards, unhappy customers who want no person, brands, service rules and their "
                               "follow-ups, small talk between shopping); first scored unread, then read while "
                               "tuning, so it flatters the bot"),
    "development 23": (DEV_23, "written 2026-12-04 (a twelfth session, after development 22's rules) by a helper "
                               "from the contracts and catalog files only, aimed at asking for a person in every way, "
                               "anger that does or does not want one, refinements that sound like after-sales, kinds "
                               "described by their use and brands; first scored unread, then read while tuning, so it "
                               "flatters the bot"),
    "held-out 12": (HELDOUT_12, "written 2026-12-04 (a twelfth session, before its rules) by a helper that saw only "
                                "the contracts and the catalog files, told to cover the whole space as a demanding "
                                "outside reviewer typing on a phone; never read: the honest figure"),
    "development 24": (DEV_24, "written 2026-12-04 (a thirteenth session) by a helper from the contracts and catalog "
                               "files only, aimed at brands misspelt or nicknamed, kinds described by their use, "
                               "one condition changed at a time, questions about the cards, membership and coupons, "
                               "alerts, orders said vaguely, guests, privacy and asking for a person; first scored "
                               "unread, then read while tuning, so it flatters the bot"),
    "held-out 13": (HELDOUT_13, "written 2026-12-04 (a thirteenth session, before its rules) by a helper that saw "
                                "only the contracts and the catalog files, told to cover the whole space as a "
                                "demanding outside reviewer typing on a phone; never read: the honest figure"),
    "development 25": (DEV_25, "written 2026-12-04 (a thirteenth session) by a helper from the contracts, the catalog "
                               "and the demo orders only, aimed at one's own orders: named by item, time or state, "
                               "returns and exchanges while the bot asks which order, minds changed, follow-ups, "
                               "guests; first scored unread, then read while tuning, so it flatters the bot"),
    "held-out 14": (HELDOUT_14, "written 2026-12-04 (a thirteenth session, after its rules) by a helper that saw only "
                                "the contracts, the catalog files and the demo orders, told to cover the whole space "
                                "in proportion to a shop's chat traffic as a demanding outside reviewer typing on a "
                                "phone; never read: the honest figure for the session's final code"),
    "development 26": (DEV_26, "written 2026-12-04 (a fourteenth session) by a helper from the contracts, the catalog "
                               "and the demo orders only, in a shop's proportions weighted to its weakest classes: "
                               "own orders' status and after-sales, anger and asking for a person, privacy, alerts, "
                               "searches and policy questions; first scored unread, then read while tuning, so it "
                               "flatters the bot"),
    "held-out 15": (HELDOUT_15, "written 2026-12-04 (a fourteenth session, before its rules) by a helper that saw only "
                                "the contracts, the catalog files and the demo orders, told to cover the whole space "
                                "in proportion to a shop's chat traffic as a demanding outside reviewer typing on a "
                                "phone; never read: the honest figure"),
    "development 27": (DEV_27, "written 2026-12-04 (a fifteenth session) by a helper from the contracts, the catalog "
                               "and the demo orders only, aimed at what such bots get wrong most: first messages "
                               "that name a need instead of a product, service questions asked sideways, own orders "
                               "named indirectly, when to hand over; first scored unread, then read while tuning, so "
                               "it flatters the bot"),
    "development 28": (DEV_28, "written 2026-12-04 (a fifteenth session) by a helper from the contracts, the catalog "
                               "and the demo orders only, as a demanding reviewer: own orders asked many ways, "
                               "after-sales by item and in states that forbid it, questions about the cards shown, "
                               "searches and complaints; first scored unread, then read while tuning, so it "
                               "flatters the bot"),
    "development 29": (DEV_29, "written 2026-12-04 (a fifteenth session) by a helper from the contracts, the catalog "
                               "and the demo orders only, as a demanding reviewer: searches refined over four to six "
                               "turns, questions about the cards between them, kinds switched, budgets said every "
                               "way, vague wishes, small talk mid-shopping; first scored unread, then read while "
                               "tuning, so it flatters the bot"),
    "held-out 16": (HELDOUT_16, "written 2026-12-04 (a fifteenth session, at its start) by a helper that saw only "
                                "the contracts, the catalog files and the demo orders, told to cover the whole space "
                                "in a shop's proportions as an outside reviewer typing on a phone; never read: the "
                                "honest figure"),
    "held-out 17": (HELDOUT_17, "written 2026-12-04 (a fifteenth session, after its first rules) by a helper that "
                                "saw only the contracts, the catalog files and the demo orders, told to cover the "
                                "whole space in a shop's proportions as a demanding outside reviewer typing on a "
                                "phone; never read: the honest figure"),
    "development 30": (DEV_30, "written 2026-12-04 (a sixteenth session) by a helper from the contracts, the catalog "
                               "and the demo orders only: situations that name a kind only as their setting (the "
                               "phone's screen too small for online classes), when to hand over, first searches "
                               "with many conditions, shopping and service in one chat; first scored unread, then "
                               "read while tuning, so it flatters the bot"),
    "development 31": (DEV_31, "written 2026-12-04 (a sixteenth session) by a helper from the contracts, the catalog "
                               "and the demo orders only: rule questions told as a story or a worry, own orders by "
                               "item, colour, date, price or courier, guests asking after their orders, privacy and "
                               "alerts; first scored unread, then read while tuning, so it flatters the bot"),
    "development 32": (DEV_32, "written 2026-12-04 (a sixteenth session) by a helper from the contracts, the catalog "
                               "and the demo orders only: products named by model, line or nickname with nothing "
                               "shown, presents described by the person, product and order questions mixed, small "
                               "talk mid-shopping; first scored unread, then read while tuning, so it flatters the "
                               "bot"),
    "held-out 18": (HELDOUT_18, "written 2026-12-04 (a sixteenth session, at its start) by a helper that saw only "
                                "the contracts, the catalog files and the demo orders, told to write a mid-sized "
                                "shop's customers during the 双十二 rush in a shop's proportions; never read: the "
                                "honest figure"),
    "held-out 19": (HELDOUT_19, "written 2026-12-04 (a sixteenth session, at its start) by a helper that saw only "
                                "the contracts, the catalog files and the demo orders, as an outside QA reviewer "
                                "writing customers of different ages and styles (a toddler's mother, a student, a "
                                "sneaker fan using nicknames, an older customer, an angry one); never read: the "
                                "honest figure"),
    "held-out 20": (HELDOUT_20, "written 2026-12-04 (a sixteenth session, after its first rules) by a helper that "
                                "saw only the contracts, the catalog files and the demo orders, as a normal week of "
                                "a general shop's chat traffic in its proportions; never read: the honest figure"),
    "development 33": (DEV_33, "written 2026-12-04 (a seventeenth session) by a helper from the contracts, the "
                               "catalog and the demo orders only: broad first words, thanks and size questions after "
                               "cards, another model named after a product question, own orders pointed at "
                               "indirectly, repeated anger; first scored unread, then read while tuning, so it "
                               "flatters the bot"),
    "development 34": (DEV_34, "written 2026-12-04 (a seventeenth session) by a helper from the contracts, the "
                               "catalog and the demo orders only: products by nickname, model number, use or the "
                               "person they are for, compared with what one owns, long chats where conditions are "
                               "added, dropped and replaced, shopping and own orders mixed; first scored unread, then "
                               "read while tuning, so it flatters the bot"),
    "held-out 21": (HELDOUT_21, "written 2026-12-04 (a seventeenth session, at its start) by a helper that saw only "
                                "the contracts, the catalog files and the demo orders, as a team lead replaying a "
                                "cosmetics-and-sports shop's Monday; never read: the honest figure"),
    "held-out 22": (HELDOUT_22, "written 2026-12-04 (a seventeenth session, at its start) by a helper that saw only "
                                "the contracts, the catalog files and the demo orders, as a rival vendor's tough but "
                                "fair set of students and young workers typing slang at night; never read: the "
                                "honest figure"),
    "development 35": (DEV_35, "written 2026-12-05 (an eighteenth session) by a helper from the contracts, the "
                               "catalog and the demo orders only: vague first words, thanks and questions after cards, "
                               "平替 and other relative wishes, own orders pointed at indirectly and acted on, anger and "
                               "handoff timing, privacy and alerts said casually; first scored unread, then read while "
                               "tuning, so it flatters the bot"),
    "held-out 23": (HELDOUT_23, "written 2026-12-05 (an eighteenth session, at its start) by a helper that saw only "
                                "the contracts, the catalog files and the demo orders, as an outside QA reviewer of a "
                                "company deciding whether to buy the bot; never read: the honest figure"),
    "development 36": (DEV_36, "written 2026-12-05 (an eighteenth session) by a helper from the contracts, the "
                               "catalog and the demo orders only: products one owns as context, two kinds in a "
                               "message, questions on the cards, one item of a two-item order, service questions "
                               "inside a search, corrections, casual alerts; first scored unread, then read while "
                               "tuning, so it flatters the bot"),
    "held-out 24": (HELDOUT_24, "written 2026-12-05 (an eighteenth session, after its first rules) by a helper that "
                                "saw only the contracts, the catalog files and the demo orders, as a weekend of a "
                                "mid-size shop's chat traffic in its proportions; never read: the honest figure"),
    "development 37": (DEV_37, "written 2026-12-05 (a nineteenth session) by a helper from the contracts, the "
                               "catalog and the demo orders only: shop questions right after cards or inside a search, "
                               "vague first searches, short replies after cards, when a person is due and when not, "
                               "own orders between searches; first scored unread, then read while tuning, so it "
                               "flatters the bot"),
    "development 38": (DEV_38, "written 2026-12-05 (a nineteenth session) by a helper from the contracts, the "
                               "catalog and the demo orders only: long refinement chains, questions on cards by "
                               "position or look, gifts for people, brands and lines named alone or not carried, going "
                               "back to an earlier search, privacy and alerts between searches; first scored unread, "
                               "then read while tuning, so it flatters the bot"),
    "held-out 25": (HELDOUT_25, "written 2026-12-05 (a nineteenth session, after its first rules) by a helper that "
                                "saw only the contracts, the catalog files and the demo orders, as a busy sale week's "
                                "chat log (双十二): typing fast, several questions a message, minds changed; never "
                                "read: the honest figure"),
    "development 39": (DEV_39, "written 2026-12-05 (a twentieth session) by a helper from the contracts, the "
                               "catalog and the demo orders only: an order's item changed while cards are shown, "
                               "products asked about by their Chinese names, thanks right after cards, presents with a "
                               "budget, brands refused in short forms, pinyin initials; first scored unread, then read "
                               "while tuning, so it flatters the bot"),
    "development 40": (DEV_40, "written 2026-12-05 (a twentieth session) by a helper from the contracts, the "
                               "catalog and the demo orders only: with cards on the screen, size advice for the body "
                               "described, personal data and marketing, one's own earlier orders, thanks and goodbyes, "
                               "shop rules and questions on the products shown; first scored unread, then read while "
                               "tuning, so it flatters the bot"),
    "held-out 26": (HELDOUT_26, "written 2026-12-05 (a twentieth session, after its first rules) by a helper that "
                                "saw only the contracts, the catalog files and the demo orders, as an ordinary "
                                "weekday evening's chat traffic: shopping, service and both mixed; never read: the "
                                "honest figure"),
    "held-out 27": (HELDOUT_27, "written 2026-12-05 (a twenty-first session, at its start) by a helper that saw only "
                                "the contracts, the catalog files and the demo orders, as the week before 双十二: "
                                "comparing, waiting for prices to drop, presents, minds changed, own orders amid "
                                "shopping; never read: the honest figure"),
    "development 41": (DEV_41, "written 2026-12-05 (a twenty-first session) by a helper from the contracts, the "
                               "catalog and the demo orders only: presents with a kind ruled out in passing, "
                               "refinements of the cards shown, needs with no kind, one item of an order cancelled or "
                               "returned amid shopping, age and body sizes, slang and pinyin initials; first scored "
                               "unread, then read while tuning, so it flatters the bot"),
    "development 42": (DEV_42, "written 2026-12-05 (a twenty-first session) by a helper from the contracts, the "
                               "catalog and the demo orders only: comparisons and decisions, going back to an earlier "
                               "search, budgets moved in words, price protection, invoices, address changes, parcels "
                               "named by their kind, casual alerts, privacy, very short replies after cards; first "
                               "scored unread, then read while tuning, so it flatters the bot"),
    "held-out 28": (HELDOUT_28, "written 2026-12-05 (a twenty-first session, after its rules) by a helper that saw "
                                "only the contracts, the catalog files and the demo orders, as a Sunday afternoon's "
                                "chat log: plans told more than products named, exact models, family buyers, "
                                "students, own orders; never read: the honest figure"),
    "held-out 29": (HELDOUT_29, "written 2026-12-05 (a twenty-second session, at its start) by a helper that saw "
                                "only the contracts, the catalog files and the demo orders, as a rainy Monday "
                                "lunchtime: office workers typing in a hurry, shopping, own orders, guests, "
                                "irritated customers; never read: the honest figure"),
    "held-out 30": (HELDOUT_30, "written 2026-12-05 (a twenty-second session, after its rules) by a helper that saw "
                                "only the contracts, the catalog files and the demo orders, as late evening in bed: "
                                "unhurried, chatty shoppers changing their minds, own orders, guests, small talk; "
                                "never read: the honest figure"),
    "development 43": (DEV_43, "written 2026-12-05 (a twenty-second session) by a helper from the contracts, the "
                               "catalog and the demo orders only: long searches whose conditions accumulate and "
                               "change (budgets moved in words, kinds switched and back, brands out and in, "
                               "attributes carried), more and comparisons, presents, needs with no kind, own orders "
                               "mid-way; first scored unread, then read while tuning, so it flatters the bot"),
    "development 44": (DEV_44, "written 2026-12-05 (a twenty-second session) by a helper from the contracts, the "
                               "catalog and the demo orders only: service for logged-in customers (orders named by "
                               "nickname, colour, price or date; one item of several; windows; refunds; invoices; "
                               "damaged or missing goods), guests' policy questions, irritated customers; first "
                               "scored unread, then read while tuning, so it flatters the bot"),
    "held-out 31": (HELDOUT_31, "written 2026-12-05 (a twenty-third session, at its start) by a helper that saw "
                                "only the contracts, the catalog files and the demo orders, as a weekend morning at "
                                "home: parents and grandparents shopping for the family by voice input, own orders, "
                                "guests, irritated customers; never read: the honest figure"),
    "held-out 32": (HELDOUT_32, "written 2026-12-05 (a twenty-third session, at its start) by a helper that saw "
                                "only the contracts, the catalog files and the demo orders, as students in a dorm "
                                "before 双十二: slang, pinyin, nicknames, bargaining, two wishes in one message, own "
                                "orders, guests; never read: the honest figure"),
    "development 45": (DEV_45, "written 2026-12-05 (a twenty-third session) by a helper from the contracts, the "
                               "catalog and the demo orders only: conversations hard because of what came before "
                               "(corrections, conditions taken back, cards named by position, colour, brand or "
                               "price, kinds switched and back, budgets kept or dropped in words, orders between "
                               "searches); first scored unread, then read while tuning, so it flatters the bot"),
    "held-out 33": (HELDOUT_33, "written 2026-12-05 (a twenty-fourth session, at its start) by a helper that saw "
                                "only the contracts, the catalog files and the demo orders, as office workers on "
                                "their phones before 年货节: fragments, abbreviations, searches interrupted by "
                                "orders and back, cards on the screen, alerts, customers coming back; never read: "
                                "the honest figure"),
    "held-out 34": (HELDOUT_34, "written 2026-12-05 (a twenty-fourth session, at its start) by a helper that saw "
                                "only the contracts, the catalog files and the demo orders, as late-night shoppers "
                                "thinking aloud: indecision, conditions taken back, kinds drifted to and back, "
                                "problems with an order found while browsing; never read: the honest figure"),
    "development 46": (DEV_46, "written 2026-12-05 (a twenty-fourth session) by a helper from the contracts, the "
                               "catalog and the demo orders only, ten per class of what such bots get wrong "
                               "(purchases told like complaints, brands and tags kept, price floors, vague wants, "
                               "two kinds or colours at once, orders in everyday words, cards named by price); "
                               "first scored unread, then read while tuning, so it flatters the bot"),
    "development 47": (DEV_47, "written 2026-12-05 (a twenty-fourth session, after held-out 33 and 34 were scored) "
                               "by a helper from the contracts, the catalog and the demo orders only, ten per class: "
                               "kinds switched with another kind named, cheaper or other ones than the cards, "
                               "comparisons, people named without asking for one, budgets across turns, models by "
                               "name, orders between searches, alerts and privacy, presents, chit-chat; first scored "
                               "unread, then read while tuning, so it flatters the bot"),
    "held-out 35": (HELDOUT_35, "written 2026-12-05 (a twenty-fifth session, at its start) by a helper that saw "
                                "only the contracts, the catalog files and the demo orders, as shoppers arriving "
                                "from a livestream, a 小红书/抖音 post or a friend: half-remembered model names, "
                                "prices seen elsewhere, bargaining, pre-purchase policy, orders between searches; "
                                "never read: the honest figure"),
    "development 48": (DEV_48, "written 2026-12-05 (a twenty-fifth session, at its start) by a helper from the "
                               "contracts, the catalog and the demo orders only, ten per class: follow-ups to a "
                               "policy answer, several values at once, exchanges while shopping, presents across "
                               "kinds, wearables by use, questions about the cards, budgets moved, refusals, service "
                               "between searches, anger and requests for a person; first scored unread"),
    "held-out 36": (HELDOUT_36, "written 2026-12-05 (a twenty-fifth session, after its first rules) by a helper that "
                                "saw only the contracts, the catalog files and the demo orders: several requests in "
                                "one message, customers correcting the bot, answers given indirectly, turns that go "
                                "back to something said earlier, short replies; never read: the honest figure"),
    "development 49": (DEV_49, "written 2026-12-06 (a twenty-sixth session, at its start) by a helper from the "
                               "contracts, the catalog files and the demo orders only, aimed at held-out 35 and 36's "
                               "weak classes as their scores named them (corrections, several requests at once, "
                               "nicknames and model numbers, sizes asked while browsing, tags kept, stock, indirect "
                               "and short answers, going back); read while tuning, so it flatters the bot"),
    "held-out 37": (HELDOUT_37, "written 2026-12-06 (a twenty-sixth session, at its start) by a helper that saw only "
                                "the contracts, the catalog files and the demo orders: shoppers typing fast on a phone "
                                "(typos, 口语, abbreviations), budgets written every way, corrections, two requests in "
                                "one message, orders and policies between searches; never read: the honest figure"),
    "development 50": (DEV_50, "written 2026-12-06 (a twenty-seventh session) by a helper from the contracts, the "
                               "catalog files and the demo orders: ten per class of what such bots get wrong "
                               "(promotions asked beside cards, stock, babies and children, elders, couples, kind "
                               "switches, card questions, orders between searches, guests' service questions, "
                               "feelings and people); read while tuning, so it flatters the bot"),
    "held-out 38": (HELDOUT_38, "written 2026-12-06 (a twenty-seventh session) by a helper that saw only the "
                                "contracts, the catalog files and the demo orders: weekend shoppers buying for their "
                                "family (babies, school children, parents, partners), the whole space as a "
                                "demanding reviewer tests it; never read: the honest figure"),
    "development 51": (DEV_51, "written 2026-12-06 (a twenty-eighth session) by a helper from the contracts, the "
                               "catalog files and the demo orders: ten per class of what such bots get wrong (sibling "
                               "kinds picked by use, budgets kept, order status, stock, promotions beside cards, order "
                               "changes, exchanges and returns, size advice, persons asked for or not, thanks and "
                               "goodbyes); read while tuning, so it flatters the bot"),
    "held-out 39": (HELDOUT_39, "written 2026-12-06 (a twenty-eighth session) by a helper that saw only the "
                                "contracts, the catalog files and the demo orders: evening shoppers on a phone in "
                                "longer conversations (3-7 turns) hopping between sibling kinds, asking about cards, "
                                "policies and their orders between searches; never read: the honest figure"),
    "development 52": (DEV_52, "written 2026-12-06 (a twenty-eighth session) by a helper from the contracts, the "
                               "catalog files and the demo orders, aimed at held-out 39's weakest classes as its "
                               "score named them: after-sales on real orders then shopping again, shopping then "
                               "after-sales then back, questions about one card, guests' after-sales rules, upset "
                               "customers in after-sales; read while tuning, so it flatters the bot"),
    "held-out 40": (HELDOUT_40, "written 2026-12-06 (a twenty-eighth session, after its rules) by a helper that saw "
                                "only the contracts, the catalog files and the demo orders: the whole space as a "
                                "demanding reviewer tests it, typed as shoppers type; never read: the honest figure"),
    "development 53": (DEV_53, "written 2026-12-06 (a twenty-ninth session) by a helper from the contracts, the "
                               "catalog files and the demo orders, aimed at held-out 39's remaining failures: sibling "
                               "kinds hopped in few words, low budgets said many ways, promotion and shipping "
                               "questions beside cards, after-sales between searches, exchanges of an order's item, "
                               "persons asked for or not, goodbyes; read while tuning, so it flatters the bot"),
    "held-out 41": (HELDOUT_41, "written 2026-12-06 (a twenty-ninth session) by a helper that saw only the "
                                "contracts, the catalog files and the demo orders: shoppers typing on a phone in a "
                                "hurry (typos, homophones, shorthand prices, run-on voice input, several questions in "
                                "one message) across the whole space; never read: the honest figure"),
    "development 54": (DEV_54, "written 2026-12-06 (a thirtieth session) by a helper from the contracts, the catalog "
                               "files and the demo orders, aimed at held-out 41's remaining failures as its score "
                               "named them: privacy asked by logged-in customers, voice run-ons naming a second kind "
                               "in passing, a brand then one of its kinds, waist and shoe sizes the shop lacks, more "
                               "after every match was shown, payment and cancelling beside cards, angry guests, "
                               "exchanges against shipping; read while tuning, so it flatters the bot"),
    "development 55": (DEV_55, "written 2026-12-06 (a thirtieth session) by a helper from the contracts, the catalog "
                               "files and the demo orders, aimed at held-out 42's weakest writers as its score named "
                               "them: Chinese mixed with English in searches and in service, dialect, formal letters "
                               "and gift buyers, the frustrated; read while tuning, so it flatters the bot"),
    "held-out 42": (HELDOUT_42, "written 2026-12-06 (a thirtieth session) by a helper that saw only the contracts, "
                                "the catalog files and the demo orders: how different shoppers write (dialect, Chinese "
                                "mixed with English, the elderly, internet slang and emoji, terse replies, formal "
                                "letters, parents, gift buyers, service-heavy customers, the frustrated) across the "
                                "whole space; never read: the honest figure"),
    "development 56": (DEV_56, "written 2026-12-06 (a thirty-first session) by a helper from the contracts, the "
                               "catalog files and the demo orders, aimed at held-out 42's remaining failures: service "
                               "questions beside cards, formal writers, thanks in emoji and slang, older shoppers' "
                               "words for devices, computer slang, gift buyers switching kinds, budgets in dialect, "
                               "angry customers who want their parcel's status; read while tuning, so it flatters "
                               "the bot"),
    "held-out 43": (HELDOUT_43, "written 2026-12-06 (a thirty-first session) by a helper that saw only the contracts, "
                                "the catalog files and the demo orders: after-sales journeys (where a parcel is, "
                                "changing, cancelling, refunds, exchanges, complaints) by logged-in customers who "
                                "then often shop again, and guests asking after orders and the shop's rules; never "
                                "read: the honest figure"),
    "development 57": (DEV_57, "written 2026-12-06 (a thirty-second session) by a helper from the contracts, the "
                               "catalog files and the demo orders, aimed at held-out 43's remaining failures: "
                               "exchanges, changes and cancellations in many wordings, guests whose first message is "
                               "about their own order, first complaints, size questions after an exchange, kinds named "
                               "after a search; read while tuning, so it flatters the bot"),
    "held-out 44": (HELDOUT_44, "written 2026-12-06 (a thirty-second session) by a helper that saw only the contracts, "
                                "the catalog files and the demo orders: deciding what to buy (narrowing a loose wish, "
                                "comparing, asking about one card, picking one and asking how to pay, ship or return "
                                "it, changing one's mind) with logged-in customers' orders and guests' service "
                                "questions in between; never read: the honest figure"),
    "development 58": (DEV_58, "written 2026-12-06 (a thirty-second session) by a helper from the contracts, the "
                               "catalog files and the demo orders, aimed at held-out 44's failure reasons: needs told "
                               "instead of product words, kinds in loose words, a brand kept across kinds, moving "
                               "budgets, service questions about a card picked, guests' orders mid-search, tags as "
                               "filters; read while tuning, so it flatters the bot"),
    "held-out 45": (HELDOUT_45, "written 2026-12-06 (a thirty-third session) by a helper that saw only the contracts, "
                                "the catalog files and the demo orders: an ordinary day in the shop's chat (searches "
                                "refined, questions about one card, the shop's rules, logged-in customers' own orders, "
                                "guests' orders, upset customers, small talk); never read: the honest figure"),
    "development 59": (DEV_59, "written 2026-12-06 (a thirty-third session) by a helper from the contracts, the "
                               "catalog files and the demo orders, aimed at where the bot most often fails: which "
                               "order "
                               "a loose name means, changes said with the order's state, cancellations in many "
                               "wordings, first complaints, guests' orders mid-search, service questions about a card "
                               "picked, neighbouring kinds; read while tuning, so it flatters the bot"),
    "development 60": (DEV_60, "written 2026-12-06 (a thirty-third session) by a helper from the contracts, the "
                               "catalog files and the demo orders: a customer's data and patience (questions about "
                               "what is kept, requests to erase or export, someone else's orders, a second angrier "
                               "message, a person asked for in many words and words that only mention one); read "
                               "while tuning, so it flatters the bot"),
    "development 61": (DEV_61, "written 2026-12-07 (a thirty-fourth session) by a helper from the contracts, the "
                               "catalog files and the demo orders: after the purchase (where a parcel is in loose "
                               "words, when it ships, changes before shipping, cancellations, returns and exchanges "
                               "with a reason, refund progress, upset customers who calm down or ask for a person, "
                               "guests' orders); read while tuning, so it flatters the bot"),
    "held-out 46": (HELDOUT_46, "written 2026-12-07 (a thirty-fourth session) by a helper that saw only the "
                                "contracts, the catalog files and the demo orders: a weekend evening in the shop's "
                                "chat (shoppers deciding across turns, gifts, questions about one card, service "
                                "questions mid-search, logged-in customers' own orders, guests' orders, upset "
                                "customers, small talk); never read: the honest figure"),
    "development 62": (DEV_62, "written 2026-12-07 (a thirty-fourth session) by a helper from the contracts, the "
                               "catalog files and the demo orders: a search refined over four to six turns (budgets "
                               "said many ways, conditions loosened, brand, colour or size switched, a neighbouring "
                               "kind, more asked for, one card asked about, a service question between); read while "
                               "tuning, so it flatters the bot"),
    "held-out 47": (HELDOUT_47, "written 2026-12-07 (a thirty-fifth session) by a helper that saw only the "
                                "contracts, the catalog files and the demo orders: a Monday morning after a weekend "
                                "sale (searches refined, questions about one card, the shop's rules and where refunds "
                                "go, logged-in customers' own orders, changes and cancellations, returns and "
                                "exchanges with a reason, guests' orders, privacy, upset customers, small talk); "
                                "never read: the honest figure"),
    "development 63": (DEV_63, "written 2026-12-07 (a thirty-fifth session) by a helper from the contracts, the "
                               "catalog files and the demo orders: questions right after the cards (size, stock, "
                               "material, a brand not shown), where refunds go, exchanges of size and colour, two "
                               "requests in one message, vague asks and loose budgets; read while tuning, so it "
                               "flatters the bot"),
    "development 64": (DEV_64, "written 2026-12-07 (a thirty-fifth session) by a helper from the contracts, the "
                               "catalog files and the demo orders: logged-in customers' orders and data in everyday "
                               "words (one order that fits, privacy questions about orders, service then shopping, "
                               "an order of the kind on the screen, guests); read while tuning, so it flatters the "
                               "bot"),
    "development 65": (DEV_65, "written 2026-12-07 (a thirty-sixth session) by a helper from the contracts, the "
                               "catalog files and the demo orders: service turns easy to confuse (anger over several "
                               "turns, shipping against alerts, promotions against payment, exchange against return "
                               "against change, guests); read while tuning, so it flatters the bot"),
    "held-out 48": (HELDOUT_48, "written 2026-12-07 (a thirty-sixth session) by a helper that saw only the "
                                "contracts, the catalog files and the demo orders: warm-up evenings the week before "
                                "12.12 (searches refined, gifts, questions about one card, the shop's rules, presale "
                                "and price protection, logged-in customers' own orders and changes, guests' orders, "
                                "privacy, upset customers, small talk); never read: the honest figure"),
    "development 66": (DEV_66, "written 2026-12-07 (a thirty-sixth session) by a helper from the contracts, the "
                               "catalog files and the demo orders: loose and odd budgets, two requests in one "
                               "message, gifts, questions after the cards, kinds the shop does not sell, a brand "
                               "alone, needs without a kind; read while tuning, so it flatters the bot"),
    "held-out 49": (HELDOUT_49, "written 2026-12-07 (a thirty-seventh session) by a helper that saw only the "
                                "contracts, the catalog files and the demo orders: the lunch break on a weekday, "
                                "typed fast on a phone (voice-input slips, abbreviations, several things at once; "
                                "searches refined, questions about one card, the shop's rules, own orders and "
                                "changes, guests and privacy, upset customers, small talk); never read: the honest "
                                "figure"),
    "development 67": (DEV_67, "written 2026-12-07 (a thirty-seventh session) by a helper from the contracts, the "
                               "catalog files and the demo orders: conversations hard to keep straight (a kind kept "
                               "through refinements, loose budgets, anger over several turns or calming down, own "
                               "orders between searches, privacy and goodbyes mid-conversation); read while tuning, "
                               "so it flatters the bot"),
    "development 68": (DEV_68, "written 2026-12-07 (a thirty-seventh session) by a helper from the contracts, the "
                               "catalog files and the demo orders: service questions that sound alike, often "
                               "mid-search (exchange against return against change, promotions against price "
                               "protection against payment, shipping against status against alerts, card questions, "
                               "gifts without a kind, guests and privacy, small talk, upset customers); read while "
                               "tuning, so it flatters the bot"),
}


def report(summaries: dict) -> list[str]:
    lines = [
        "Multi-turn conversations in natural text through the run command's bot on the REST channel, "
        "scored like a reviewer reads the replies (bench/conversation_benchmark.py).",
        "",
        "| set | conversations passed | card sets honouring every stated condition | turn p50 / p95 |",
        "| --- | --- | --- | --- |",
    ]
    for name, summary in summaries.items():
        share = summary["passed"] / max(1, summary["conversations"])
        lines.append(
            f"| {name} ({summary['turns']} turns) | {summary['passed']}/{summary['conversations']} "
            f"({100 * share:.1f}%) | {summary['card_sets_honoured']}/{summary['card_sets']} | "
            f"{summary['p50_ms']:.0f} ms / {summary['p95_ms']:.0f} ms |")
    lines += ["", "Targets: ≥ 95% of unseen conversations, 100% of card sets, a turn's p50 ≤ 120 ms.", ""]
    for name, summary in summaries.items():
        path, honesty = SETS[name]
        lines += [f"**{name}** (`{path.relative_to(path.parents[2])}`): {honesty}.", "",
                  "| class | passed |", "| --- | --- |"]
        lines += [f"| {cls} | {passed}/{total} |" for cls, (passed, total) in summary["by_class"].items()]
        if summary["failed_outcomes"]:
            lines += ["", "Failed turns by expected outcome: " + ", ".join(
                f"{outcome} {count}" for outcome, count in summary["failed_outcomes"].items()) + "."]
        lines.append("")
    return lines


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=sorted(SETS), action="append",
                        help="play only this set (default: all, and write docs/benchmarks.md)")
    parser.add_argument("--url", help="a running bot's REST webhook (its CUSTOMER_TOKEN_SECRET must be "
                                      f"{TOKEN_SECRET!r}); default: start one")
    parser.add_argument("--only", help="a regular expression on conversation ids")
    parser.add_argument("--no-write", action="store_true", help="print, do not write docs/benchmarks.md")
    args = parser.parse_args(argv)
    chosen = args.set or list(SETS)
    catalog = list(load_demo_catalog())
    summaries, failed = {}, []
    with tempfile.TemporaryDirectory() as data_dir:
        process, url = None, args.url
        if url is None:
            port = free_port()
            process = start_bot(data_dir, port, {"CUSTOMER_TOKEN_SECRET": TOKEN_SECRET,
                                                 "SERVICE_HOURS": "00:00-24:00"})
            asyncio.run(wait_http(f"http://127.0.0.1:{port}/"))
            url = f"http://127.0.0.1:{port}/webhooks/rest/webhook"
        try:
            for name in chosen:
                conversations = yaml.safe_load(SETS[name][0].read_text("utf-8"))["conversations"]
                if args.only:
                    conversations = [c for c in conversations if re.search(args.only, c["id"])]
                results = asyncio.run(play_all(url, conversations, catalog))
                summaries[name] = summarise(results)
                failed += [{"set": name, **result} for result in results if not result["passed"]]
        finally:
            if process is not None:
                process.terminate()
                process.wait(timeout=60)
    out = Path(os.environ.get("SHOPBOT_BENCH_OUT", "/tmp/conversation_failures.json"))
    out.write_text(json.dumps(failed, ensure_ascii=False, indent=1), "utf-8")
    lines = report(summaries)
    print("\n".join(lines))
    print(f"failed conversations with the bot's replies: {out}")
    if not args.no_write and not args.only and set(chosen) == set(SETS):
        write_section("Conversations (unseen, natural text)", "make bench-conversations", lines)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
