"""Questions about what is kept (隐私) get an explanation; requests and order talk are not questions."""

import pytest

from bot.privacy.requests import asks_about_privacy, asks_why_log_in, privacy_explained
from bot.privacy.retention import RetentionPolicy


@pytest.mark.parametrize("text", ["你们会不会把我手机号卖给别人", "我不想你们保存我的信息", "我的地址电话商家能看到不", "你们的隐私政策呢", "我的数据安全吗",
                                  "你们会拿我的聊天记录干嘛", "你们会记录我的聊天内容吗", "你们存了我哪些信息",
                                  "我的购买记录别人能看到吗", "我的手机号地址这些你们不会给第三方吧", "那我跟你聊的这些会存多久"])
def test_privacy_questions(text):
    assert asks_about_privacy(text)


@pytest.mark.parametrize("text", ["我的订单信息", "改一下收货电话", "这手机号码能换吗", "我的快递到哪了", "刚才的对话框怎么关",
                                  "有库存信息吗"])
def test_not_privacy_questions(text):
    assert not asks_about_privacy(text)


def test_the_explanation_names_the_retention_and_the_customers_rights():
    reply = privacy_explained(RetentionPolicy(conversations_days=45))
    assert "45天" in reply and "导出我的数据" in reply and "删除我的数据" in reply


@pytest.mark.parametrize("text, asks", [
    ("为啥要登录啊 麻烦", True), ("为什么非要先登录", True), ("干嘛要绑定", True),
    ("怎么登录", False), ("登录了还是查不到", False),
])
def test_why_log_in_is_asked(text, asks):
    assert asks_why_log_in(text) is asks
