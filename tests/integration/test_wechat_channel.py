"""The WeChat Official Account and WeCom channels, driven as WeChat's servers drive them.

wechatpy plays WeChat's side: it signs requests, encrypts safe-mode messages
and checks and decrypts our encrypted replies.  Customer-service pushes go to
the fake WeChat API of ``tests/support/fake_wechat_api.py``.

The first part runs the channel's protocol class against a real Redis with a
bot whose speed the test controls (slow bots, retries); the second part runs
the real rasa server from credentials.yml.
"""

from __future__ import annotations

import asyncio
import secrets
import time
import uuid
from typing import List

import pytest
import redis.asyncio
import requests
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.enterprise.crypto import WeChatCrypto as WeComCrypto
from wechatpy.utils import WeChatSigner

from bot.channels.wechat.processor import CallbackConfig, Request, WeChatCallback
from bot.channels.wechat.api import OfficialAccountApi
from tests.integration.conftest import KEY_PREFIX
from tests.support.fake_wechat_api import WECHAT_TEST_ENV, FakeWeChatApi, fake_for_test_env

ENV = WECHAT_TEST_ENV
ACCOUNT = "gh_shoptest"


def signature(*parts: str) -> str:
    signer = WeChatSigner()
    signer.add_data(*parts)
    return signer.signature


def new_openid() -> str:
    return "o" + uuid.uuid4().hex[:27]


def new_msg_id() -> str:
    return str(secrets.randbits(62))


def text_xml(openid: str, content: str, msg_id: str, to: str = ACCOUNT) -> str:
    return (f"<xml><ToUserName><![CDATA[{to}]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content><![CDATA[{content}]]></Content><MsgId>{msg_id}</MsgId></xml>")


def other_xml(openid: str, msg_type: str, extra: str = "", msg_id: str = "") -> str:
    ident = f"<MsgId>{msg_id or new_msg_id()}</MsgId>" if msg_type != "event" else ""
    return (f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[{msg_type}]]></MsgType>{extra}{ident}</xml>")


class WeChatPeer:
    """WeChat's servers, as far as a callback is concerned (signing and encryption by wechatpy)."""

    def __init__(self, token: str, aes_key: str, app_id: str, wecom: bool = False) -> None:
        self.token = token
        self.crypto = (WeComCrypto if wecom else WeChatCrypto)(token, aes_key, app_id)

    def plain(self, xml: str, timestamp: str = None):
        timestamp, nonce = timestamp or str(int(time.time())), secrets.token_hex(5)
        query = {"signature": signature(self.token, timestamp, nonce), "timestamp": timestamp, "nonce": nonce,
                 "openid": "x"}
        return query, xml.encode("utf-8")

    def safe(self, xml: str, timestamp: str = None):
        """A safe-mode POST: the body is wechatpy's encrypted envelope, msg_signature in the query."""
        timestamp, nonce = timestamp or str(int(time.time())), secrets.token_hex(5)
        envelope = self.crypto.encrypt_message(xml, nonce, timestamp)
        msg_signature = parse_envelope(envelope)["MsgSignature"]
        query = {"signature": signature(self.token, timestamp, nonce), "timestamp": timestamp, "nonce": nonce,
                 "encrypt_type": "aes", "msg_signature": msg_signature}
        return query, envelope.encode("utf-8")

    def open_reply(self, body: str):
        """Our encrypted reply as WeChat reads it: signature checked, decrypted, parsed."""
        fields = parse_envelope(body)
        xml = self.crypto.decrypt_message(body, fields["MsgSignature"], fields["TimeStamp"], fields["Nonce"])
        return parse_message(xml)


def parse_envelope(xml: str) -> dict:
    import xmltodict

    return dict(xmltodict.parse(xml)["xml"])


# ---------------------------------------------------------------------------------------------
# Part 1: the protocol class against a real Redis, with a bot whose speed the test sets.
# ---------------------------------------------------------------------------------------------

class Bot:
    """Stands in for Rasa (not the thing under test): answers after ``delay`` seconds, counting calls."""

    def __init__(self, delay: float = 0.0, reply=None) -> None:
        self.delay = delay
        self.calls: List[tuple] = []
        self.reply = reply or (lambda text: [{"text": f"收到：{text}"}])

    async def __call__(self, sender, text, metadata):
        self.calls.append((sender, text))
        await asyncio.sleep(self.delay)
        return self.reply(text)


@pytest.fixture
def fake_api():
    server = FakeWeChatApi(app_id=ENV["WECHAT_APP_ID"], app_secret=ENV["WECHAT_APP_SECRET"]).start()
    yield server
    server.stop()


@pytest.fixture
async def redis_async(redis_server):
    client = redis.asyncio.Redis.from_url(redis_server.url, decode_responses=True)
    yield client
    await client.close()


def make_callback(redis_async, fake_api, bot, passive=0.4, kind="official_account"):
    config = CallbackConfig(kind=kind, channel="wechat", token=ENV["WECHAT_TOKEN"], app_id=ENV["WECHAT_APP_ID"],
                            app_secret=ENV["WECHAT_APP_SECRET"], encoding_aes_key=ENV["WECHAT_ENCODING_AES_KEY"],
                            api_base=fake_api.url, passive_reply_seconds=passive)
    api = OfficialAccountApi(fake_api.url, config.app_id, config.app_secret)
    return WeChatCallback(config, bot, redis_async, KEY_PREFIX, api)


PEER = WeChatPeer(ENV["WECHAT_TOKEN"], ENV["WECHAT_ENCODING_AES_KEY"], ENV["WECHAT_APP_ID"])


async def test_a_slow_bot_answers_success_then_pushes_once_despite_retries(redis_async, fake_api):
    bot = Bot(delay=1.2)
    callback = make_callback(redis_async, fake_api, bot, passive=0.3)
    openid, msg_id = new_openid(), new_msg_id()
    query, body = PEER.plain(text_xml(openid, "推荐一款跑步鞋", msg_id))

    started = time.monotonic()
    first = await callback.receive(Request(query, body))
    assert first.status == 200 and first.body == "success"
    assert time.monotonic() - started < 1.0, "the first delivery waited for the slow bot"
    # WeChat delivers the same message again (here sooner than its 5 s, to hit the bot mid-work)…
    retries = await asyncio.gather(*(callback.receive(Request(query, body)) for _ in range(3)))
    assert [r.body for r in retries] == ["success"] * 3
    await callback.drain()
    # …and after the bot is done, too.
    late = await callback.receive(Request(*PEER.plain(text_xml(openid, "推荐一款跑步鞋", msg_id))))
    assert late.body == "success"

    assert bot.calls == [(openid, "推荐一款跑步鞋")], "the message was processed more than once"
    pushed = fake_api.wait_for_messages(1, timeout=5)
    assert [(m["touser"], m["text"]["content"]) for m in pushed] == [(openid, "收到：推荐一款跑步鞋")]
    assert await redis_async.ttl(f"{KEY_PREFIX}:wechat:msgid:{msg_id}") > 0


async def test_when_wechat_hangs_up_the_answer_is_pushed_not_lost(redis_async, fake_api):
    bot = Bot(delay=0.6)
    callback = make_callback(redis_async, fake_api, bot, passive=3.0)
    openid, msg_id = new_openid(), new_msg_id()
    query, body = PEER.plain(text_xml(openid, "在吗", msg_id))
    first = asyncio.ensure_future(callback.receive(Request(query, body)))
    await asyncio.sleep(0.2)
    first.cancel()  # the connection is gone (what the web server does when WeChat disconnects)
    retry = await callback.receive(Request(query, body))
    assert retry.body == "success"
    await callback.drain()
    assert [m["text"]["content"] for m in fake_api.wait_for_messages(1, timeout=5)] == ["收到：在吗"]
    assert len(bot.calls) == 1


async def test_a_retry_during_processing_gets_the_same_passive_reply(redis_async, fake_api):
    bot = Bot(delay=0.5)
    callback = make_callback(redis_async, fake_api, bot, passive=3.0)
    openid, msg_id = new_openid(), new_msg_id()
    query, body = PEER.plain(text_xml(openid, "有蓝牙耳机吗", msg_id))

    async def retry_later():
        await asyncio.sleep(0.1)
        return await callback.receive(Request(query, body))

    first, retry = await asyncio.gather(callback.receive(Request(query, body)), retry_later())
    assert parse_message(first.body).content == parse_message(retry.body).content == "收到：有蓝牙耳机吗"
    again = await callback.receive(Request(query, body))  # WeChat lost our answer: the same reply, no new work
    assert parse_message(again.body).content == "收到：有蓝牙耳机吗"
    assert len(bot.calls) == 1
    assert fake_api.messages == []


async def test_a_long_answer_is_replied_then_the_rest_pushed(redis_async, fake_api):
    long_text = "\n".join(f"第{i}行：这是一段很长的商品介绍，用来超过微信两千字节的限制。" for i in range(60))
    bot = Bot(reply=lambda text: [{"text": long_text}])
    callback = make_callback(redis_async, fake_api, bot)
    openid = new_openid()
    answer = await callback.receive(Request(*PEER.plain(text_xml(openid, "介绍一下", new_msg_id()))))
    first = parse_message(answer.body).content
    assert len(first.encode("utf-8")) <= 2048 and first.startswith("第0行")
    await callback.drain()
    rest = [m["text"]["content"] for m in fake_api.messages_to(openid)]
    assert rest and all(len(piece.encode("utf-8")) <= 2048 for piece in rest)
    assert "".join([first, *rest]).replace("\n", "") == long_text.replace("\n", "")


async def test_numbered_choices_come_back_as_their_payload(redis_async, fake_api):
    cards = {"custom": {"type": "product_cards", "products": [
        {"id": "SKU1", "title": "李宁 赤兔6 跑步鞋", "price": 399, "reason": "轻便"},
        {"id": "SKU2", "title": "安踏 C202 跑步鞋", "price": 499, "reason": "竞速"}]}}
    bot = Bot(reply=lambda text: [{"text": "为您推荐："}, cards] if text == "推荐跑鞋" else [{"text": f"好的：{text}"}])
    callback = make_callback(redis_async, fake_api, bot)
    openid = new_openid()
    shown = await callback.receive(Request(*PEER.plain(text_xml(openid, "推荐跑鞋", new_msg_id()))))
    content = parse_message(shown.body).content
    assert "1. 李宁 赤兔6 跑步鞋  ¥399" in content and "2. 安踏 C202 跑步鞋  ¥499" in content
    picked = await callback.receive(Request(*PEER.plain(text_xml(openid, "2", new_msg_id()))))
    assert bot.calls[-1] == (openid, "我想了解这款：安踏 C202 跑步鞋（SKU2）")
    assert parse_message(picked.body).content == "好的：我想了解这款：安踏 C202 跑步鞋（SKU2）"
    # the answer had no choices: a later "1" is just "1"
    await callback.receive(Request(*PEER.plain(text_xml(openid, "1", new_msg_id()))))
    assert bot.calls[-1] == (openid, "1")


async def test_a_failing_bot_gets_an_apology_not_an_error(redis_async, fake_api):
    async def broken(sender, text, metadata):
        raise RuntimeError("tracker store down")

    callback = make_callback(redis_async, fake_api, broken)
    answer = await callback.receive(Request(*PEER.plain(text_xml(new_openid(), "你好", new_msg_id()))))
    assert answer.status == 200 and "抱歉" in parse_message(answer.body).content


async def test_an_unconfigured_channel_answers_503(redis_async, fake_api):
    config = CallbackConfig(missing=("WECHAT_TOKEN",))
    bot = Bot()
    callback = WeChatCallback(config, bot, redis_async, KEY_PREFIX)
    answer = await callback.receive(Request(*PEER.plain(text_xml(new_openid(), "你好", new_msg_id()))))
    assert answer.status == 503 and "not configured" in answer.body and "WECHAT_TOKEN" in answer.body
    assert (await callback.verify({"echostr": "1"})).status == 503
    assert bot.calls == []


async def test_twenty_customers_at_once_each_get_their_own_answer(redis_async, fake_api):
    bot = Bot(delay=0.2)
    callback = make_callback(redis_async, fake_api, bot, passive=3.0)
    users = [new_openid() for _ in range(20)]
    answers = await asyncio.gather(*(
        callback.receive(Request(*PEER.safe(text_xml(u, f"我是{i}号", new_msg_id())))) for i, u in enumerate(users)))
    for i, (user, answer) in enumerate(zip(users, answers)):
        reply = PEER.open_reply(answer.body)
        assert reply.target == user and reply.content == f"收到：我是{i}号"
    assert len(bot.calls) == 20


# ---------------------------------------------------------------------------------------------
# Part 2: the real rasa server, channels from credentials.yml.
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def wechat_api(rasa):
    server = fake_for_test_env().start()
    # The first message after a start loads models lazily; customers' latency is measured after that.
    requests.post(f"{rasa.url}/webhooks/rest/webhook", json={"sender": "warm-up", "message": "你好"}, timeout=120)
    yield server
    server.stop()


def post(rasa, channel: str, query: dict, body: bytes, timeout: float = 30) -> requests.Response:
    return requests.post(f"{rasa.url}/webhooks/{channel}/webhook", params=query, data=body,
                         headers={"Content-Type": "text/xml"}, timeout=timeout)


def user_texts(rasa, sender: str) -> list:
    response = requests.get(f"{rasa.url}/conversations/{sender}/tracker", params={"token": rasa.token}, timeout=30)
    assert response.status_code == 200, response.text
    return [event.get("text") for event in response.json()["events"] if event["event"] == "user"]


def test_url_verification_echoes_echostr(rasa):
    timestamp, nonce = str(int(time.time())), "n123"
    query = {"signature": signature(ENV["WECHAT_TOKEN"], timestamp, nonce), "timestamp": timestamp,
             "nonce": nonce, "echostr": "8374623948"}
    answer = requests.get(f"{rasa.url}/webhooks/wechat/webhook", params=query, timeout=10)
    assert answer.status_code == 200 and answer.text == "8374623948"
    forged = requests.get(f"{rasa.url}/webhooks/wechat/webhook", params={**query, "signature": "0" * 40}, timeout=10)
    assert forged.status_code == 403 and "8374623948" not in forged.text


def test_plaintext_message_gets_a_passive_reply(rasa, wechat_api):
    openid = new_openid()
    started = time.monotonic()
    answer = post(rasa, "wechat", *PEER.plain(text_xml(openid, "你好", new_msg_id())))
    elapsed = time.monotonic() - started
    assert answer.status_code == 200, answer.text
    assert answer.text != "success", f"no passive reply within the window ({elapsed:.1f} s): the bot was too slow"
    reply = parse_message(answer.text)
    assert reply.type == "text" and reply.target == openid and reply.source == ACCOUNT
    assert reply.content and any("\u4e00" <= c <= "\u9fff" for c in reply.content)
    assert elapsed < 4.5
    assert user_texts(rasa, openid) == ["你好"]


def test_safe_mode_message_gets_an_encrypted_reply(rasa, wechat_api):
    openid = new_openid()
    answer = post(rasa, "wechat", *PEER.safe(text_xml(openid, "你好", new_msg_id())))
    assert answer.status_code == 200, answer.text
    assert "你好" not in answer.text and "<Encrypt>" in answer.text
    reply = PEER.open_reply(answer.text)  # wechatpy checks our msg_signature and the AppID
    assert reply.target == openid and reply.content


def test_a_repeated_msgid_is_processed_once_and_answered_alike(rasa, wechat_api):
    openid, msg_id = new_openid(), new_msg_id()
    first = post(rasa, "wechat", *PEER.safe(text_xml(openid, "你好", msg_id)))
    again = post(rasa, "wechat", *PEER.safe(text_xml(openid, "你好", msg_id)))
    assert PEER.open_reply(first.text).content == PEER.open_reply(again.text).content
    assert user_texts(rasa, openid) == ["你好"]


def test_forged_signatures_are_refused_and_nothing_processed(rasa):
    openid = new_openid()
    query, body = PEER.plain(text_xml(openid, "你好", new_msg_id()))
    assert post(rasa, "wechat", {**query, "signature": "f" * 40}, body).status_code == 403
    assert post(rasa, "wechat", {k: v for k, v in query.items() if k != "signature"}, body).status_code == 403
    query, body = PEER.safe(text_xml(openid, "你好", new_msg_id()))
    assert post(rasa, "wechat", {**query, "msg_signature": "0" * 40}, body).status_code == 403
    intruder = WeChatPeer("not-our-token", ENV["WECHAT_ENCODING_AES_KEY"], ENV["WECHAT_APP_ID"])
    assert post(rasa, "wechat", *intruder.safe(text_xml(openid, "你好", new_msg_id()))).status_code == 403
    assert user_texts(rasa, openid) == []


def test_a_message_for_another_appid_is_refused(rasa):
    openid = new_openid()
    other = WeChatPeer(ENV["WECHAT_TOKEN"], ENV["WECHAT_ENCODING_AES_KEY"], "wxSOMEBODYELSE00")
    answer = post(rasa, "wechat", *other.safe(text_xml(openid, "你好", new_msg_id())))
    assert answer.status_code == 403 and "AppID" in answer.text
    assert user_texts(rasa, openid) == []


def test_a_replayed_old_request_is_refused(rasa):
    openid = new_openid()
    old = str(int(time.time()) - 3600)
    answer = post(rasa, "wechat", *PEER.plain(text_xml(openid, "你好", new_msg_id()), timestamp=old))
    assert answer.status_code == 403 and "stale" in answer.text
    assert user_texts(rasa, openid) == []


BILLION_LAUGHS = ('<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY a "aaaaaaaaaa">'
                  '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
                  '<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">]>'
                  '<xml><ToUserName>gh</ToUserName><FromUserName>{openid}</FromUserName><CreateTime>1</CreateTime>'
                  '<MsgType>text</MsgType><Content>&e;</Content><MsgId>1</MsgId></xml>')
XXE = ('<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
       '<xml><FromUserName>{openid}</FromUserName><MsgType>text</MsgType><Content>&x;</Content></xml>')


@pytest.mark.parametrize("body, status", [
    (BILLION_LAUGHS, 400), (XXE, 400), ("<xml><FromUserName>{openid}", 400), ("", 400),
    ("<xml><FromUserName>{openid}</FromUserName></xml>", 400),
    ("<xml><FromUserName>{openid}</FromUserName><MsgType>text</MsgType><Content>"
     + "大" * 30000 + "</Content></xml>", 413),
], ids=["billion-laughs", "xxe", "truncated", "empty", "no-msgtype", "over-64kb"])
def test_malformed_or_hostile_xml_is_refused(rasa, body, status):
    openid = new_openid()
    for peer_send in (PEER.plain, PEER.safe):
        if peer_send is PEER.safe and status == 400 and not body:
            continue
        answer = post(rasa, "wechat", *peer_send(body.format(openid=openid) if "{openid}" in body else body))
        assert answer.status_code == status, (peer_send.__name__, answer.text)
    assert user_texts(rasa, openid) == []
    assert requests.get(f"{rasa.url}/", timeout=10).status_code == 200  # the server is still up


@pytest.mark.parametrize("msg_type, extra, expected", [
    ("image", "<PicUrl><![CDATA[http://mmbiz.qpic.cn/x]]></PicUrl><MediaId>m1</MediaId>", "文字"),
    ("voice", "<MediaId>m2</MediaId><Format>amr</Format>", "文字"),
    ("location", "<Location_X>23.1</Location_X><Location_Y>113.3</Location_Y><Scale>20</Scale>", "位置"),
    ("miniprogrampage", "<Title>x</Title>", "看不懂"),
])
def test_non_text_messages_get_a_polite_text_reply(rasa, msg_type, extra, expected):
    openid = new_openid()
    answer = post(rasa, "wechat", *PEER.plain(other_xml(openid, msg_type, extra)))
    assert answer.status_code == 200
    reply = parse_message(answer.text)
    assert reply.target == openid and expected in reply.content
    assert user_texts(rasa, openid) == []


def test_subscribe_gets_the_welcome_and_unsubscribe_nothing(rasa):
    openid = new_openid()
    welcome = post(rasa, "wechat", *PEER.safe(other_xml(openid, "event", "<Event><![CDATA[subscribe]]></Event>")))
    assert "感谢关注" in PEER.open_reply(welcome.text).content
    bye = post(rasa, "wechat", *PEER.plain(other_xml(openid, "event", "<Event><![CDATA[unsubscribe]]></Event>")))
    assert bye.status_code == 200 and bye.text == "success"


# WeCom: the test server's WeCom application pushes every answer (WECOM_PASSIVE_REPLY_SECONDS=0),
# so this is also the slow-bot path through a real rasa server.
WECOM_PEER = WeChatPeer(ENV["WECOM_TOKEN"], ENV["WECOM_ENCODING_AES_KEY"], ENV["WECOM_CORP_ID"], wecom=True)


def test_wecom_verification_decrypts_echostr(rasa):
    timestamp, nonce = str(int(time.time())), "n1"
    envelope = parse_envelope(WECOM_PEER.crypto.encrypt_message("5927498216482", nonce, timestamp))
    query = {"msg_signature": envelope["MsgSignature"], "timestamp": timestamp, "nonce": nonce,
             "echostr": envelope["Encrypt"]}
    answer = requests.get(f"{rasa.url}/webhooks/wecom/webhook", params=query, timeout=10)
    assert answer.status_code == 200 and answer.text == "5927498216482"
    forged = requests.get(f"{rasa.url}/webhooks/wecom/webhook", params={**query, "msg_signature": "1" * 40},
                          timeout=10)
    assert forged.status_code == 403


def test_wecom_answer_is_pushed_once_despite_retries(rasa, wechat_api):
    user, msg_id = f"zhang{uuid.uuid4().hex[:6]}", new_msg_id()
    xml = text_xml(user, "你好", msg_id, to=ENV["WECOM_CORP_ID"]).replace("</xml>", "<AgentID>1000002</AgentID></xml>")
    query, body = WECOM_PEER.safe(xml)
    query = {k: v for k, v in query.items() if k not in ("signature", "encrypt_type")}  # WeCom sends neither
    answers = [post(rasa, "wecom", query, body) for _ in range(3)]  # WeChat's retries of one message
    assert [(a.status_code, a.text) for a in answers] == [(200, "success")] * 3
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not wechat_api.messages_to(user):
        time.sleep(0.1)
    time.sleep(1.0)  # a duplicate would arrive by now
    pushed = wechat_api.messages_to(user)
    assert len(pushed) == 1 and pushed[0]["agentid"] == 1000002 and pushed[0]["text"]["content"]
    assert user_texts(rasa, user) == ["你好"]


# ---------------------------------------------------------------------------------------------
# Part 3: an agent answers a WeChat customer from the console (customer-service messages).
# ---------------------------------------------------------------------------------------------

def test_an_agent_reaches_a_wechat_customer_inside_the_window_and_limit_only(rasa, wechat_api, console,
                                                                             redis_client):
    from bot.channels.outbound.wechat import MESSAGES_PER_CUSTOMER_MESSAGE
    from tests.integration.conftest import CONSOLE_ACCOUNTS, KEY_PREFIX
    from tests.support.console_client import ConsoleClient

    openid = new_openid()
    answer = post(rasa, "wechat", *PEER.plain(text_xml(openid, "我要转人工", new_msg_id())))
    assert "转接人工客服" in parse_message(answer.text).content
    alice = ConsoleClient(console)
    alice.login("alice", CONSOLE_ACCOUNTS["alice"][0])
    assert alice.post(f"/api/conversations/{openid}/takeover").status_code == 200
    notice = wechat_api.wait_for_messages(1)
    assert any(m["touser"] == openid and "alice" in m["text"]["content"] for m in notice)

    sent = alice.post(f"/api/conversations/{openid}/messages", {"text": "您好，请问订单号是多少？"}).json()
    assert sent["delivered"] is True
    assert [m["text"]["content"] for m in wechat_api.messages_to(openid)][-1] == "您好，请问订单号是多少？"

    wechat_api.refusals[openid] = 45047  # WeChat itself says the limit is reached
    refused = alice.post(f"/api/conversations/{openid}/messages", {"text": "在吗？"}).json()
    assert refused["delivered"] is False and "45047" in refused["detail"]
    del wechat_api.refusals[openid]

    # the customer writes again: a new allowance of messages, counted by the console itself
    post(rasa, "wechat", *PEER.plain(text_xml(openid, "订单号 20261201001", new_msg_id())))
    results = [alice.post(f"/api/conversations/{openid}/messages", {"text": f"第{n}条"}).json()
               for n in range(MESSAGES_PER_CUSTOMER_MESSAGE + 1)]
    assert [r["delivered"] for r in results] == [True] * MESSAGES_PER_CUSTOMER_MESSAGE + [False]
    assert "45047" in results[-1]["detail"]
    assert "第5条" not in [m["text"]["content"] for m in wechat_api.messages_to(openid)]  # never attempted

    # 48 hours after the customer's last message WeChat refuses (45015): not attempted, the agent is told
    redis_client.hset(f"{KEY_PREFIX}:conv:{openid}", mapping={"customer_at": time.time() - 49 * 3600, "pushed": 0})
    before = len(wechat_api.messages_to(openid))
    late = alice.post(f"/api/conversations/{openid}/messages", {"text": "还需要帮忙吗？"}).json()
    assert late["delivered"] is False and "45015" in late["detail"] and "48" in late["detail"]
    assert len(wechat_api.messages_to(openid)) == before
