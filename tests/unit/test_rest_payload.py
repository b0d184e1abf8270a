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
    ({"sender": "c", "message": "x" * 20_001}, "longer"),
    ({"sender": "c", "message": "hi", "metadata": [1]}, "metadata"),
    ({"sender": "c", "message": "hi", "input_channel": 5}, "input_channel"),
])
def test_malformed_bodies_say_what_is_wrong(body, reason):
    with pytest.raises(RestPayloadError, match=reason):
        parse_rest_payload(body)
