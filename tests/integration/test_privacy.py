"""Privacy through the real bot: nothing personal in clear at rest, export and erasure in the chat.

A proven customer writes a phone, an ID number, a bank card, an e-mail, a
name and addresses on the REST channel of a real rasa server; then every key
and value in Redis is read (the demo order system's keys aside: it stands for
the shop's own system of record, which must ship to the real address).  The
address given before the order was chosen still reaches the order system.
The console shows masked text and unmasks for a supervisor only, audited.
Export and erasure are asked for in natural words and confirmed; after
erasure nothing in Redis names the customer or the chat.
"""

from __future__ import annotations

import asyncio
import json
import random
import subprocess
import sys
import uuid

import pytest
import redis.asyncio
import requests

from bot.language.personal_data import id_check_digit_ok, luhn_ok
from bot.orders.demo_service.book import DemoOrderBook
from bot.privacy.questions import FAMILY_ORDERS_EXPLAINED, SOMEONE_ELSES_ORDERS_EXPLAINED
from bot.privacy.requests import ASK_ERASE_CUSTOMER, ASK_EXPORT, CANCELLED, HOW_IT_GOES, LOG_IN_FOR_ONES_DATA
from bot.service.tickets import REDACTED, TicketStore
from tests.integration.conftest import CONSOLE_ACCOUNTS, KEY_PREFIX, PRIVACY_KEY
from tests.integration.processes import ROOT
from tests.integration.test_customer_identity import buttons, joined, say, token_for
from tests.support.console_client import ConsoleClient


def run(coroutine):
    return asyncio.run(coroutine)


def fresh_mobile() -> str:
    return "13" + str(random.randint(5, 9)) + "".join(random.choice("0123456789") for _ in range(8))


def fresh_id_card() -> str:
    while True:
        body = f"110105{random.randint(1970, 2004)}0{random.randint(1, 9)}1{random.randint(0, 9)}" \
               f"{random.randint(100, 999)}"
        for check in "0123456789X":
            if id_check_digit_ok(body + check):
                return body + check


def fresh_bank_card() -> str:
    while True:
        number = "6222" + "".join(random.choice("0123456789") for _ in range(15))
        if luhn_ok(number):
            return number


async def everything_in_redis(url: str) -> list:
    """(key, value as text) of every key of the test prefix, the order system's aside."""
    client = redis.asyncio.Redis.from_url(url, decode_responses=True)
    found = []
    try:
        async for key in client.scan_iter(match=f"{KEY_PREFIX}:*", count=1000):
            if key.startswith(f"{KEY_PREFIX}:ordersys:"):
                continue
            kind = await client.type(key)
            if kind == "string":
                value = await client.get(key)
            elif kind == "hash":
                value = json.dumps(await client.hgetall(key), ensure_ascii=False)
            elif kind == "list":
                value = json.dumps(await client.lrange(key, 0, -1), ensure_ascii=False)
            elif kind == "set":
                value = json.dumps(sorted(await client.smembers(key)), ensure_ascii=False)
            elif kind == "zset":
                value = json.dumps(await client.zrange(key, 0, -1), ensure_ascii=False)
            elif kind == "stream":
                value = json.dumps(await client.xrange(key), ensure_ascii=False)
            else:
                value = ""
            found.append((key, value or ""))
    finally:
        await client.close()
    return found


def mentions(url: str, needles) -> list:
    """Keys whose name or value holds one of ``needles`` (also as JSON's \\u escapes)."""
    forms = {form for needle in needles for form in (needle, json.dumps(needle)[1:-1])}
    return [key for key, value in run(everything_in_redis(url)) if any(f in key or f in value for f in forms)]


@pytest.fixture
def customer(customer_with_orders):
    customer_id, orders = customer_with_orders
    return customer_id, orders, f"privacy-{uuid.uuid4().hex[:8]}"


def test_a_conversation_full_of_personal_data_leaves_none_in_clear(rasa, console, redis_server, customer):
    customer_id, orders, window = customer
    token = token_for(customer_id, name="王晓明")  # the shop's token names the customer too
    phone, id_card, card = fresh_mobile(), fresh_id_card(), fresh_bank_card()
    street = f"张江路{random.randint(100, 999)}号3号楼1201室"

    # the new address comes before the order is chosen: it is held sealed for this flow
    asked = say(rasa, window, f"帮我把收货地址改成上海市浦东新区{street}，电话{phone}", token)
    unpaid = next(order for order in orders if order.state == "待付款")
    assert unpaid.id in buttons(asked), joined(asked)
    done = joined(say(rasa, window, unpaid.id, token))
    assert "改好了" in done
    changed = run(_order(redis_server.url, customer_id, unpaid.id))
    assert changed.address == f"上海市浦东新区{street}" and changed.phone == phone

    say(rasa, window, f"收件人：王晓明，身份证号{id_card}，清关要用", token)
    say(rasa, window, f"退款打到我的银行卡 {card} 吧", token)
    say(rasa, window, "发票发到 wangxiaoming88@qq.com 谢谢", token)
    say(rasa, window, "我叫王晓明，住在北京市朝阳区建国路88号SOHO现代城5号楼1203室", token)

    secrets = [phone, id_card, card, street, "wangxiaoming88@qq.com", "王晓明", "建国路88号"]
    assert mentions(redis_server.url, secrets) == []

    # the console shows masked text; a supervisor can unmask, and it is audited
    agent = ConsoleClient(console)
    assert agent.login("alice", CONSOLE_ACCOUNTS["alice"][0]).status_code == 200
    shown = json.dumps(agent.get(f"/api/conversations/{window}").json(), ensure_ascii=False)
    assert f"{phone[:3]}****{phone[-4:]}" in shown and phone not in shown
    assert agent.post(f"/api/conversations/{window}/unmask").status_code == 403
    supervisor = ConsoleClient(console)
    assert supervisor.login("sue", CONSOLE_ACCOUNTS["sue"][0]).status_code == 200
    unmasked = supervisor.post(f"/api/conversations/{window}/unmask")
    assert unmasked.status_code == 200 and phone in unmasked.text and id_card in unmasked.text
    audit = run(_audit(redis_server.url))
    assert any(entry["action"] == "unmask" and entry["by"] == "sue" for entry in audit)
    assert all(window not in json.dumps(entry) and customer_id not in json.dumps(entry) for entry in audit)


async def _order(url, customer_id, order_id):
    client = redis.asyncio.Redis.from_url(url, decode_responses=True)
    try:
        return await DemoOrderBook(client, KEY_PREFIX).order_of(customer_id, order_id)
    finally:
        await client.close()


async def _audit(url):
    client = redis.asyncio.Redis.from_url(url, decode_responses=True)
    try:
        return [fields for _, fields in await client.xrange(f"{KEY_PREFIX}:privacy:audit")]
    finally:
        await client.close()


def test_a_customer_exports_and_then_erases_everything_from_the_chat(rasa, redis_server, customer):
    customer_id, orders, window = customer
    token = token_for(customer_id)
    other_window = window + "-phone"
    phone = fresh_mobile()
    say(rasa, other_window, f"想买个蓝牙耳机，有事打我电话{phone}", token)
    say(rasa, window, "我要投诉，东西坏了还没人管", token)
    say(rasa, window, "有降噪耳机吗，500以内", token)
    assert mentions(redis_server.url, [window]) and mentions(redis_server.url, [customer_id])

    # export: asked in plain words, confirmed, downloaded from the shop's site
    assert joined(say(rasa, window, "我想导出我的个人数据", token)) == ASK_EXPORT
    link = joined(say(rasa, window, "嗯 导吧", token)).rsplit("：", 1)[-1].strip()  # a yes in the customer's words
    assert link.startswith("/shop/my-data/")
    document = requests.get(rasa.url + link, timeout=10)
    assert document.status_code == 200 and "attachment" in document.headers["Content-Disposition"]
    exported = document.json()
    assert exported["customer_id"] == customer_id
    assert {chat["chat"] for chat in exported["chats"]} == {window, other_window}
    assert phone in json.dumps(exported, ensure_ascii=False)  # the customer's own words come back whole
    assert requests.get(rasa.url + "/shop/my-data/not-a-token", timeout=10).status_code == 404

    # a request not confirmed changes nothing; one made in two words after a privacy answer is still asked first,
    # and a question about it while the confirmation is awaited keeps it awaited
    assert joined(say(rasa, window, "请删除我的所有聊天记录和个人数据", token)) == ASK_ERASE_CUSTOMER
    assert joined(say(rasa, window, "算了不删了", token)) == CANCELLED
    assert "自动删除" in joined(say(rasa, window, "聊天记录你们保存多久", token))
    assert "自动删除" in joined(say(rasa, window, "那地址呢", token))  # a short question on what was just told
    assert joined(say(rasa, window, "帮我删掉", token)) == ASK_ERASE_CUSTOMER
    assert joined(say(rasa, window, "删完跟我说一声", token)) == HOW_IT_GOES["erase"]
    assert joined(say(rasa, window, "算了不删了", token)) == CANCELLED
    assert mentions(redis_server.url, [window])

    tickets_before = run(_tickets(redis_server.url, customer_id))
    assert tickets_before, "the complaint left a ticket"
    assert joined(say(rasa, window, "请删除我的所有聊天记录和个人数据", token)) == ASK_ERASE_CUSTOMER
    erased = joined(say(rasa, window, "确认删除", token))
    assert "已删除" in erased and "2个聊天窗口" in erased
    assert mentions(redis_server.url, [window, other_window, customer_id, phone]) == []
    for ticket_id in tickets_before:  # the shop keeps the record of the work, without the person
        kept = run(_ticket(redis_server.url, ticket_id))
        assert kept is not None and kept.detail == REDACTED and kept.customer_id == ""
    # a new message starts a new conversation
    assert "您好" in joined(say(rasa, window, "你好", token)) or mentions(redis_server.url, [window])


async def _tickets(url, customer_id):
    client = redis.asyncio.Redis.from_url(url, decode_responses=True)
    try:
        return [ticket.id for ticket in await TicketStore(client, KEY_PREFIX).of_customer(customer_id)]
    finally:
        await client.close()


async def _ticket(url, ticket_id):
    client = redis.asyncio.Redis.from_url(url, decode_responses=True)
    try:
        return await TicketStore(client, KEY_PREFIX).get(ticket_id)
    finally:
        await client.close()


def test_a_guest_is_asked_to_log_in_before_an_export_or_erasure(rasa):
    window = f"guest-{uuid.uuid4().hex[:8]}"  # a sender id anyone could have typed
    say(rasa, window, "有降噪耳机吗，500以内")
    assert joined(say(rasa, window, "我想导出我的个人数据")) == LOG_IN_FOR_ONES_DATA
    assert "/shop/my-data/" not in joined(say(rasa, window, "确认导出"))  # no copy for an unproven sender
    assert joined(say(rasa, window, "请删除我的所有聊天记录和个人数据")) == LOG_IN_FOR_ONES_DATA
    assert "已删除" not in joined(say(rasa, window, "确认删除"))
    assert joined(say(rasa, window, "好的删吧")) == LOG_IN_FOR_ONES_DATA  # asked again, never done for a guest


def test_the_operator_exports_and_erases_a_guest_chat_from_the_command_line(rasa, redis_server):
    window = f"guest-{uuid.uuid4().hex[:8]}"
    phone = fresh_mobile()
    say(rasa, window, f"你们几点发货？我电话{phone}")
    env = {"REDIS_URL": redis_server.url, "REDIS_KEY_PREFIX": KEY_PREFIX, "PRIVACY_KEY": PRIVACY_KEY,
           "PATH": "/usr/bin:/bin"}
    command = [sys.executable, "-m", "bot.privacy"]
    exported = subprocess.run(command + ["export", "--chat", window], env=env, cwd=ROOT, capture_output=True,
                              text=True, timeout=60)
    assert exported.returncode == 0, exported.stderr
    assert phone in exported.stdout and json.loads(exported.stdout)["chats"][0]["chat"] == window
    refused = subprocess.run(command + ["erase", "--chat", window], env=env, cwd=ROOT, capture_output=True,
                             text=True, timeout=60)
    assert refused.returncode == 2 and mentions(redis_server.url, [window])
    erased = subprocess.run(command + ["erase", "--chat", window, "--yes"], env=env, cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert erased.returncode == 0, erased.stderr
    assert json.loads(erased.stdout)["chats"] == 1 and mentions(redis_server.url, [window]) == []
    nothing = subprocess.run(command + ["export"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert nothing.returncode == 2 and "CUSTOMER" in nothing.stderr


def test_someone_elses_orders_are_refused_even_to_family_and_the_customers_own_stay_open(rasa, customer):
    customer_id, orders, window = customer
    token = token_for(customer_id)
    refused = joined(say(rasa, window, "帮我查下我老公的订单 他手机号139开头的", token))
    assert refused == SOMEONE_ELSES_ORDERS_EXPLAINED
    assert not any(order.id in refused for order in orders)
    assert joined(say(rasa, window, "我俩是夫妻啊 这都不行", token)) == FAMILY_ORDERS_EXPLAINED
    own = say(rasa, window, "那我自己的订单呢", token)
    listed = joined(own) + " ".join(str(payload) for payload in buttons(own))
    assert any(order.id in listed for order in orders)  # one's own orders, told or offered to pick
    # an order a friend placed, asked in passing words: refused, and none of the customer's own shown instead
    friend = joined(say(rasa, window, "帮我看看我朋友在你们这买的鞋发了没 他叫李华", token))
    assert friend == SOMEONE_ELSES_ORDERS_EXPLAINED and not any(order.id in friend for order in orders)
