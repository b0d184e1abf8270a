"""Fury told from displeasure (bot/handoff/wishes.py): right after another grievance, a person takes over."""

import pytest

from bot.handoff.wishes import demands_action, displeased, furious


@pytest.mark.parametrize("text, is_furious", [("什么破系统 一直让我登录 烦不烦", True), ("无语 越问越气 什么破玩意儿 浪费我半小时", True),
                                              ("而且扣了两次！！！", True), ("收到的杯子包装破了", False), ("有点失望", False),
                                              ("你们效率也太低了吧 无语", False), ("无语死了 问三遍了", True)])
def test_fury_is_told_from_displeasure(text, is_furious):
    assert furious(text) is is_furious


@pytest.mark.parametrize("text", ["什么垃圾店 买双鞋都找不到 浪费老子时间", "问点事都答不好 还智能客服 笑死 烂透了",
                                  "合着老顾客活该被宰是吧 你们真恶心", "你这机器人真的蠢 问啥都不行 废物一个",
                                  "明明是你们的问题凭啥我出运费 太过分了"])
def test_insults_are_fury(text):
    assert furious(text)


@pytest.mark.parametrize("text, is_displeased", [("就这？选择也太少了吧", True), ("你这推的拍照都一般啊 敷衍", True),
                                                 ("就一个？不是吧🙄", True), ("有没有200以内的连衣裙", False),
                                                 ("这俩哪个好点", False), ("不蠢 挺聪明的", False),
                                                 ("这件衣服了解一下 有M码吗", False), ("差评多吗", False), ("这款有坑吗", False),
                                                 ("内存太少了 有大点的吗", False), ("垃圾袋有吗", False),
                                                 ("有没有防骗子的门锁", False), ("你们效率也太低了吧 无语", True)])
def test_displeasure_short_of_a_complaint(text, is_displeased):
    assert displeased(text) is is_displeased


@pytest.mark.parametrize("text", ["我问的是我自己的单 不是问你规则 能不能看懂啊", "我问的是退货 你扯别的干嘛 答非所问"])
def test_the_bot_found_wanting_is_displeasure(text):
    assert displeased(text) and not furious(text)


def test_angry_faces_are_fury():
    assert furious("服了 真的服了 这破机器人啥也不会😤") and furious("还没到😡")


def test_nothing_worth_a_look_is_displeasure():
    assert displeased("这都什么玩意儿，一个看得上的都没有")


@pytest.mark.parametrize("text", ["尺码表看不懂 175穿多大", "说明书看不懂 怎么连蓝牙", "好想要啊😤"])
def test_a_product_not_understood_is_no_displeasure(text):
    assert not displeased(text)


@pytest.mark.parametrize("text", ["下单三天了还是待发货 搞什么啊", "面霜发的中通？？最讨厌中通了 每次都慢"])
def test_displeasure_said_in_passing(text):
    assert displeased(text) and not furious(text)


@pytest.mark.parametrize("text", ["退个货还要我拍这拍那 一肚子火", "你们这系统太垃圾了", "客服真垃圾",
                                  "你们这什么服务 催了也没用 太气人了"])
def test_more_fury(text):
    assert furious(text)


@pytest.mark.parametrize("text", ["你们双十二搞什么活动", "这个垃圾袋结实吗", "你们有什么服务的保障吗", "会员有什么服务啊",
                                  "东西质量也太垃圾了，很失望",
                                  "有没有好一点的垃圾桶 太垃圾的不要", "一肚子火锅底料", "我最讨厌香味太重的 推荐个无香的",
                                  "我每次都慢慢挑的", "你们店最近搞什么？有活动吗", "双11准备搞什么呀"])
def test_words_of_fury_inside_calm_questions(text):
    assert not displeased(text)


@pytest.mark.parametrize("text, demands", [("你们就不管吗", True), ("到底能不能处理", True), ("到底能不能用优惠券", False),
                                           ("到底能不能退", False), ("这衣服洗了不管吗", False)])
def test_calm_questions_demand_nothing(text, demands):
    assert demands_action(text) is demands
