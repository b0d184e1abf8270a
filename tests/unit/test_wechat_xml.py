"""WeChat XML: parsed safely (no DTD, no entities, size limit), written so WeChat can read it."""

from __future__ import annotations

import pytest
import xmltodict
from hypothesis import given, settings, strategies as st

from bot.channels.wechat.messages import Incoming, WeChatMessageError, parse_incoming, text_reply_xml
from bot.channels.wechat.signature import timestamp_fresh
from bot.channels.wechat.xmlsafe import MAX_BODY_BYTES, WeChatXmlError, parse_xml, render_xml

TEXT_MESSAGE = """<xml><ToUserName><![CDATA[gh_123]]></ToUserName>
<FromUserName><![CDATA[oUser1]]></FromUserName><CreateTime>1700000000</CreateTime>
<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[推荐一款跑步鞋]]></Content>
<MsgId>1234567890123456</MsgId></xml>"""

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<xml><Content>&lol3;</Content></xml>"""

XXE = """<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<xml><Content>&xxe;</Content></xml>"""


def test_a_text_message_is_read():
    message = parse_incoming(parse_xml(TEXT_MESSAGE.encode()))
    assert message == Incoming("gh_123", "oUser1", "1700000000", "text", "1234567890123456", "推荐一款跑步鞋")
    assert message.dedup_key == "1234567890123456"


def test_events_are_deduplicated_by_sender_and_time():
    message = parse_incoming(parse_xml("<xml><FromUserName>o1</FromUserName><CreateTime>17</CreateTime>"
                                       "<MsgType>event</MsgType><Event>subscribe</Event></xml>"))
    assert message.dedup_key == "o1:17:subscribe"


@pytest.mark.parametrize("body", [BILLION_LAUGHS, XXE, '<!DOCTYPE xml><xml><a>1</a></xml>'])
def test_dtds_and_entities_are_refused(body):
    with pytest.raises(WeChatXmlError, match="forbidden"):
        parse_xml(body.encode())


@pytest.mark.parametrize("body", [b"", b"   ", b"not xml", b"<xml><open></xml>", b"<root><a>1</a></root>",
                                  b"\xff\xfe\x00<", b"<xml><a>1</b></xml>",
                                  # an encoding no codec knows (found by bench/fuzz_endpoints.py: was a 500)
                                  b"<?xml version='1.0' encoding='no-such'?><xml><a>1</a></xml>"])
def test_malformed_bodies_are_refused(body):
    with pytest.raises(WeChatXmlError):
        parse_xml(body)


def test_bodies_over_64_kb_are_refused_before_parsing():
    body = b"<xml><Content>" + b"a" * MAX_BODY_BYTES + b"</Content></xml>"
    with pytest.raises(WeChatXmlError, match="larger"):
        parse_xml(body)
    assert parse_xml(b"<xml><Content>" + b"a" * 60000 + b"</Content></xml>")["Content"] == "a" * 60000


@pytest.mark.parametrize("fields", [{}, {"FromUserName": "o1"}, {"MsgType": "text"}, {"FromUserName": "o" * 200,
                                                                                     "MsgType": "text"}])
def test_messages_without_sender_or_type_are_refused(fields):
    with pytest.raises(WeChatMessageError):
        parse_incoming(fields)


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=300))
def test_reply_xml_round_trips_through_xmltodict(text):
    """wechatpy reads replies with xmltodict: whatever the bot says comes out intact (minus control chars)."""
    incoming = Incoming("gh_1", "oUser", "1", "text")
    parsed = xmltodict.parse(text_reply_xml(incoming, text, now=1700000000))["xml"]
    expected = "".join(c for c in text if c in "\t\n\r" or (ord(c) >= 0x20 and not 0xD800 <= ord(c) <= 0xDFFF
                                                             and c not in "\ufffe\uffff"))
    # xmltodict strips surrounding whitespace, as WeChat's clients do
    assert (parsed["Content"] or "").strip() == expected.replace("\r\n", "\n").replace("\r", "\n").strip()
    assert parsed["ToUserName"] == "oUser" and parsed["FromUserName"] == "gh_1"
    assert parsed["CreateTime"] == "1700000000" and parsed["MsgType"] == "text"


def test_cdata_end_inside_text_survives():
    xml = render_xml({"Content": "a]]>b<c>&d"})
    assert parse_xml(xml)["Content"] == "a]]>b<c>&d"


def test_timestamps_outside_the_window_are_replays():
    assert timestamp_fresh("1000", 300, now=1200)
    assert not timestamp_fresh("1000", 300, now=1400)
    assert not timestamp_fresh("nonsense", 300, now=1000)
    assert not timestamp_fresh(None, 300, now=1000)
    assert timestamp_fresh("1", 0, now=10 ** 9)  # 0 turns the check off
