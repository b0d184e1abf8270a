import pytest

from bot.channels.rest import RestPayload, RestPayloadError, parse_rest_payload


def test_a_normal_message():
    assert parse_rest_payload({"sender": "c1", "message": "你好"}) == RestPayload("c1", "你好")


def test_numeric_sender_and_empty_message_are_accepted():
    payload = parse_rest_payload({"sender": 42, "message": "", "metadata": {"shop": "a"}})
    assert (payload.sender, payload.message, payload.metadata) == ("42", "", {"shop": "a"})


@pytest.mark.parametrize("body, reason", [
    (["a list"], "JSON object"),
    ("text", "JSON object"),
    (None, "JSON object"),
    ({"message": "hi"}, "sender"),
    ({"sender": "", "message": "hi"}, "sender"),
    ({"sender": True, "message": "hi"}, "sender"),
    ({"sender": "x" * 300, "message": "hi"}, "sender"),
    ({"sender": "c", "message": None}, "message"),
    ({"sender": "c", "message": 123}, "message"),
    ({"sender": "c"}, "message"),
    ({"sender": "c", "message": "x" * 2_001}, "longer"),
    ({"sender": "c", "message": "hi", "metadata": [1]}, "metadata"),
    ({"sender": "c", "message": "hi", "input_channel": 5}, "input_channel"),
])
def test_malformed_bodies_say_what_is_wrong(body, reason):
    with pytest.raises(RestPayloadError, match=reason):
        parse_rest_payload(body)


def deep(levels: int):
    value: dict = {}
    for _ in range(levels):
        value = {"a": value}
    return value


@pytest.mark.parametrize("metadata", [{"blob": "x" * 5000}, deep(2000)], ids=["large", "deep"])
def test_metadata_too_large_to_carry_through_every_copy_of_the_turn_is_refused(metadata):
    with pytest.raises(RestPayloadError, match="metadata"):
        parse_rest_payload({"sender": "c1", "message": "hi", "metadata": metadata})


def test_a_widgets_usual_metadata_passes():
    metadata = {"customData": {"token": "e" * 600, "language": "zh"}, "page": "/shop/item/SKU10001"}
    assert parse_rest_payload({"sender": "c1", "message": "hi", "metadata": metadata}).metadata == metadata


def test_a_lone_surrogate_in_the_message_is_mended_not_refused():
    # half of a cut emoji: the conversation index, analytics and handoff queue could not store it
    payload = parse_rest_payload({"sender": "s1", "message": "好的\ud83d 谢谢"})
    assert payload.message == "好的\ufffd 谢谢"
    payload.message.encode("utf-8")


def test_invalid_utf8_that_the_json_decoder_let_through_is_mended():
    import ujson

    from bot.language.normalize import normalize
    message = ujson.loads(b'{"message": "hello' + "能换个尺码吗".encode("gbk") + b'"}')["message"]
    payload = parse_rest_payload({"sender": "s1", "message": message})
    assert payload.message.startswith("hello") and "\ufffd" in payload.message
    assert len(normalize(payload.message)) == len(payload.message)  # OpenCC raised SystemError before


@pytest.mark.parametrize("body", [
    {"sender": "s\ud800", "message": "hi"}, {"sender": "s\n1", "message": "hi"},
    {"sender": "s1", "message": "hi", "metadata": {"note": "\udc00"}},
])
def test_ids_and_metadata_that_redis_cannot_store_are_refused(body):
    with pytest.raises(RestPayloadError):
        parse_rest_payload(body)


@pytest.mark.parametrize("channel", ["x\udf17", "a\x00b", "c" * 300])
def test_an_input_channel_redis_cannot_store_is_refused(channel):
    # found in the bot's log of a fuzz check run: the conversation index could not store "x\udf17"
    with pytest.raises(RestPayloadError, match="input_channel"):
        parse_rest_payload({"sender": "c1", "message": "hi", "input_channel": channel})
