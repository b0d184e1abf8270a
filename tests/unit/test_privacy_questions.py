"""Questions about what is kept (隐私) get an explanation; requests and order talk are not questions."""

import pytest

from bot.privacy.questions import (
    ACCOUNT_CLOSURE_EXPLAINED, MARKETING_EXPLAINED, REVIEWS_EXPLAINED,
    SIGNED_IN_ELSEWHERE_EXPLAINED, OBJECTS_FOR_FAMILY, ORDERS_KEPT_EXPLAINED, PAYMENT_SAFETY_EXPLAINED,
    ORDERS_SEEN_EXPLAINED, PERSONALISATION_EXPLAINED, SOMEONE_ELSES_ORDERS_EXPLAINED, TRAINING_EXPLAINED,
    WHY_LOG_IN_EXPLAINED, asks_about_privacy, asks_why_log_in, privacy_answer, privacy_explained,
)
from bot.privacy.retention import RetentionPolicy


@pytest.mark.parametrize("text", ["你们会不会把我手机号卖给别人", "我不想你们保存我的信息", "我的地址电话商家能看到不", "你们的隐私政策呢", "我的数据安全吗",
                                  "你们会拿我的聊天记录干嘛", "你们会记录我的聊天内容吗", "你们存了我哪些信息",
                                  "我的购买记录别人能看到吗", "我的手机号地址这些你们不会给第三方吧", "那我跟你聊的这些会存多久",
                                  "你们店会存我哪些信息", "快递员能看到完整号码吗", "你们客服能看到我的收货地址吗",
                                  "我不想被别人看到我的手机号", "快递单上能隐藏号码吗", "我的地址电话你们存哪了",
                                  "关了还会记我的喜好吗", "我在你们这看过啥你们都知道?", "你们存我啥了",
                                  "聊天记录你们留多久", "我没注册啊 就跟你聊了几句", "我的订单信息别人能看到吗",
                                  "订单信息会不会泄露", "你们会把我的订单卖给别人吗", "我买了啥你们都能看到？",
                                  "快递员能看到我买的东西吗", "我的地址你们存了多久", "你们会不会偷看我聊天",
                                  "我跟你聊的这些 你们后台会一直留着吗", "我填的收货地址你们客服是不是都看得到？？",
                                  "你咋知道我叫啥 有点吓人啊", "现在说的话有被录下来吗", "我买过啥你们那边一查就知道？",
                                  "我的电话除了快递还会给谁", "能不能别记我聊了啥", "我老公能不能查到我在你们这下的单",
                                  "想知道你们到底收集了我哪些东西", "别人拿着我手机号能查到我订单吗", "这对话聊完会自动删吗",
                                  "之前实名填过身份证 你们存下来了？", "我地址会不会漏出去啊 之前被骗过一次 怕了"])
def test_privacy_questions(text):
    assert asks_about_privacy(text)


def test_what_the_shop_keeps_asked_of_it_is_a_privacy_question():
    assert asks_about_privacy("那你们平时都存了些啥")
    assert not asks_about_privacy("你们都存了什么货")
    assert not asks_about_privacy("小天才电话手表有卖吗")  # a watch for sale, no personal data


@pytest.mark.parametrize("text", ["我的订单信息", "改一下收货电话", "这手机号码能换吗", "我的快递到哪了", "刚才的对话框怎么关",
                                  "有库存信息吗", "我没登录 聊了几句 鞋子推荐下", "记了我的尺码吗", "我的订单能看到吗",
                                  "订单被取消了 钱呢", "我的订单安全到了吗", "用手机号能查到我的订单吗",
                                  "怎么知道我该买多大的", "怎么知道我适合哪款", "收货地址录错了",
                                  "怎么知道我的快递到哪了", "同事说的那款你们能查到吗", "地址填的驿站 快递会留在驿站吗",
                                  "我的地址你们有记录吧 直接发那就行"])
def test_not_privacy_questions(text):
    assert not asks_about_privacy(text)


def test_the_explanation_names_the_retention_and_the_customers_rights():
    reply = privacy_explained(RetentionPolicy(conversations_days=45))
    assert "45天" in reply and "导出我的数据" in reply and "删除我的数据" in reply


@pytest.mark.parametrize("text, asks", [
    ("为啥要登录啊 麻烦", True), ("为什么非要先登录", True), ("干嘛要绑定", True),
    ("怎么登录", False), ("登录了还是查不到", False), ("真是我本人 不信你问", True),
])
def test_why_log_in_is_asked(text, asks):
    assert asks_why_log_in(text) is asks


POLICY = RetentionPolicy(conversations_days=30)


@pytest.mark.parametrize("text, answer", [
    ("别给我发营销短信了 一天好几条烦死了", MARKETING_EXPLAINED), ("怎么取消你们的营销推送", MARKETING_EXPLAINED),
    ("不要再打电话推销了", MARKETING_EXPLAINED), ("你们哪来的我手机号 我没注册过", MARKETING_EXPLAINED),
    ("你们咋有我手机号的 谁给的", MARKETING_EXPLAINED),
    ("注销了订单记录还在吗", ACCOUNT_CLOSURE_EXPLAINED), ("你们拿我聊天内容训练AI吗", TRAINING_EXPLAINED),
    ("为啥要登录啊 麻烦", WHY_LOG_IN_EXPLAINED), ("我的数据安全吗", privacy_explained(POLICY)),
    ("我的银行卡信息安全吗", PAYMENT_SAFETY_EXPLAINED), ("订单记录也会删吗", ORDERS_KEPT_EXPLAINED),
    ("你是AI吗 我说的话会被记录吗", privacy_explained(POLICY)), ("个性化推荐怎么关", PERSONALISATION_EXPLAINED),
    ("在哪关掉个性化", PERSONALISATION_EXPLAINED), ("删了以后还能查以前的订单吗", ORDERS_KEPT_EXPLAINED),
    ("删了订单还查得到吗", ORDERS_KEPT_EXPLAINED),
    ("那咱俩这聊天记录你们存不", privacy_explained(POLICY)),
    ("我的收货地址电话你们会一直存着吗 能删掉不", privacy_explained(POLICY)),
    ("以后别给我推新品 烦死", MARKETING_EXPLAINED), ("最近老给我推口红 我又不用 别推了", MARKETING_EXPLAINED),
    ("别再给我发短信了 烦 TD", MARKETING_EXPLAINED), ("邮箱里全是你们的广告 unsubscribe怎么弄", MARKETING_EXPLAINED),
    ("账号不想要了 注消在哪弄", ACCOUNT_CLOSURE_EXPLAINED),
])
def test_each_kind_of_privacy_question_gets_its_own_answer(text, answer):
    assert privacy_answer(text, None, POLICY) == answer


def test_who_the_customer_is_depends_on_the_login():
    assert "没有登录" in privacy_answer("你知道我是谁吗", None, POLICY)
    assert "已经登录" in privacy_answer("你认识我吗", "demo-1001", POLICY)


@pytest.mark.parametrize("text", ["推荐个手机", "我的快递到哪了", "短袖有推荐吗", "电话手表有吗", "广告上那款有吗",
                                  "训练用的跑鞋", "我是谁买的单",
                                  "这款别推了 换别的", "别推荐太贵的", "闺蜜结婚 吃的就别推了 一千左右",
                                  "口红面霜啥的都别推 800以内"])
def test_shopping_and_orders_are_no_privacy_questions(text):
    assert privacy_answer(text, None, POLICY) is None


@pytest.mark.parametrize("text, erasure", [("帮我删掉", True), ("那清空一下", True), ("全删了吧", True),
                                           ("删掉第二个提醒吧 那个不要了", False), ("帮我看看洗面奶", False)])
def test_two_words_after_a_privacy_answer_ask_for_the_erasure_it_described(text, erasure):
    from bot.privacy.requests import FOLLOWS_WITH_ERASURE
    assert bool(FOLLOWS_WITH_ERASURE.match(text)) is erasure


@pytest.mark.parametrize("text, export", [("导出吧", True), ("能导出来给我看看不", True), ("给我一份吧", True),
                                          ("导出订单明细怎么弄", False), ("帮我看看洗面奶", False)])
def test_a_few_words_after_a_privacy_answer_ask_for_the_export_it_described(text, export):
    from bot.privacy.requests import FOLLOWS_WITH_EXPORT
    assert bool(FOLLOWS_WITH_EXPORT.match(text)) is export


@pytest.mark.parametrize("text, asks", [("存多久", True), ("那地址呢", True), ("导出来是啥格式", True), ("拿这些干嘛用", True),
                                        ("有什么推荐的吗", False), ("那跑鞋呢", False)])
def test_a_short_question_after_a_privacy_answer_asks_about_the_data(text, asks):
    from bot.privacy.requests import ASKS_ABOUT_THE_DATA, FOLLOW_UP_LENGTH
    assert (len(text) <= FOLLOW_UP_LENGTH and bool(ASKS_ABOUT_THE_DATA.search(text))) is asks


@pytest.mark.parametrize("text", ["帮我查下我老公的订单 他手机号139开头的", "用我妈的手机号查下快递到哪了", "能看我同事账号的订单吗",
                                  "查一下别人的订单", "我老公也在你们家买东西 帮我查查他账号的订单",
                                  "能帮我查下我弟的订单吗 他也在你们家买的", "我朋友的快递单号YT1234567890 帮我查查到哪了",
                                  "别人的快递单号能查吗 帮朋友看看", "订单DD20241203118877帮我看下到哪了 是我同事的",
                                  "是帮我朋友查的 她叫张敏 成都的", "帮我看看隔壁老李的订单 他也在你们家买的"])
def test_someone_elses_orders_are_refused(text):
    assert privacy_answer(text, "demo-1001", POLICY) == SOMEONE_ELSES_ORDERS_EXPLAINED


@pytest.mark.parametrize("text", ["给我妈买的那件到哪了", "我妈的快递到哪了", "给老公买的鞋发货没", "我的订单呢",
                                  "客服小姐姐 昨天买的鞋到哪了", "我给他账号下的单到哪了", "我的快递单号是多少", "老款的订单能退吗",
                                  "帮我妹妹查查有没有粉色的", "帮我同事查下这款电脑有没有现货", "帮我妈查下我给她买的奶粉到哪了",
                                  "我老号的订单能查吗", "这个订单收件人是我姐的", "订单是我的 收件人是我弟的",
                                  "我爸老花眼 每天拿手机看新闻刷视频", "晚上只能躺床上拿手机追剧"])
def test_orders_bought_for_someone_are_the_customers_own(text):
    assert privacy_answer(text, "demo-1001", POLICY) != SOMEONE_ELSES_ORDERS_EXPLAINED


@pytest.mark.parametrize("text, objects", [("我俩是夫妻啊 这都不行", True), ("我们一个地址的 都是望京那个 查下呗", True),
                                           ("他让我帮忙查的", True), ("一家人还分这么清", True),
                                           ("那我自己的订单呢", False), ("好吧", False)])
def test_family_objects_to_the_refusal(text, objects):
    assert bool(OBJECTS_FOR_FAMILY.search(text)) is objects


@pytest.mark.parametrize("text, resented", [("过敏了还得登录 服了", True), ("退个货还要登录啊", True), ("不用登录也能买吗", False),
                                             ("用手机号查不行吗 13812345678", True)])
def test_a_login_resented_gets_why_it_is_needed(text, resented):
    assert asks_why_log_in(text) is resented


@pytest.mark.parametrize("text, answer", [
    ("话说你们是不是按我浏览记录推东西的 不太想要这种 能关掉不", PERSONALISATION_EXPLAINED),
    ("我不想到处被推洗发水广告 个性化推荐能关吗", PERSONALISATION_EXPLAINED),
    ("另外你们天天给我发促销短信 烦死了 别发了行不", MARKETING_EXPLAINED),
])
def test_personalisation_and_marketing_asked_in_passing(text, answer):
    assert privacy_answer(text, None, RetentionPolicy()) == answer


@pytest.mark.parametrize("text", ["顺便问下 我在这跟你聊的东西会不会被拿去给我推广告啊", "你们是不是把我的购买记录给品牌方了"])
def test_personal_data_put_to_other_uses_is_a_privacy_question(text):
    assert asks_about_privacy(text)


def test_a_person_asked_for_with_the_login_resented_is_left_to_the_handoff():
    assert privacy_answer("烦死了还要登录 直接给我转人工", None, POLICY) is None
    assert privacy_answer("烦死了还要登录", None, POLICY) == WHY_LOG_IN_EXPLAINED
    assert privacy_answer("为什么要登录 人工在吗", None, POLICY) is None


@pytest.mark.parametrize("text", ["你们能看到我的订单信息？谁都能看吗", "别人知道我订单号能查我的订单吗", "卖家是不是能看到我所有的订单",
                                  "我妈用她手机号帮我下的单 她能看到我所有订单吗", "别人用我的号码查我订单怎么办",
                                  "其他店铺能看到我在你们这买的东西吗", "客服是不是能随便看我的购物记录"])
def test_who_sees_ones_orders_is_answered_for_orders(text):
    assert privacy_answer(text, None, POLICY) == ORDERS_SEEN_EXPLAINED


@pytest.mark.parametrize("text", ["查订单的时候我的信息安全吗", "我的订单记录你们存多久", "我的信息加密了吗",
                                  "人工客服能看到我之前跟机器人说的话吗", "我的收货地址会不会被别的买家看到",
                                  "退货之后我的地址信息还留在你们系统里吗", "我的购物习惯数据会不会被分享给广告公司",
                                  "我不想让你们记住我的地址，能删吗", "当初注册点了同意 现在想撤回可以吗",
                                  "我买过的东西你们会一直留着记录吗", "你们保存我的聊天纪录吗"])
def test_more_ways_of_asking_what_is_kept(text):
    assert privacy_answer(text, None, POLICY) is not None


@pytest.mark.parametrize("text, answer", [
    ("删掉我的订单记录", ORDERS_KEPT_EXPLAINED), ("订单删除了 你们后台还有记录吗", ORDERS_KEPT_EXPLAINED),
    ("删除的订单数据会彻底清除吗", ORDERS_KEPT_EXPLAINED), ("怎么关掉推广消息啊", MARKETING_EXPLAINED),
    ("你说的话是ai生成的吗 我的问题会被拿去学习吗", TRAINING_EXPLAINED),
])
def test_orders_kept_marketing_and_training_asked_other_ways(text, answer):
    assert privacy_answer(text, None, POLICY) == answer


@pytest.mark.parametrize("text", ["我的订单到哪了 怎么看不到物流", "用手机号查订单行吗", "帮我看下我买过的东西",
                                  "这个儿童玩具安全吗", "手机有隐私模式吗", "帮我把那个待付款的订单删了",
                                  "订单删了怎么找回", "地址填的驿站 快递会留在驿站吗", "客服能帮我看看订单吗"])
def test_order_requests_and_product_questions_stay_out(text):
    assert privacy_answer(text, None, POLICY) is None


@pytest.mark.parametrize("text", ["我要退定金", "推广信息里的满减还有吗", "地址没问题 打包结实点", "有人能看到我的消息吗 怎么没人回",
                                  "我怎么知道我的订单号", "我之前买过的东西记录在哪看", "我的快递信息显示被签收了我没看到",
                                  "你们客服能看到我的订单吗 帮我查下物流", "平板拿去学校用 数据线送吗"])
def test_words_near_privacy_in_ordinary_messages_ask_nothing_of_it(text):
    from bot.privacy.requests import privacy_request
    assert privacy_answer(text, None, POLICY) is None and privacy_request(text) is None


@pytest.mark.parametrize("text, answer", [
    ("把我的订单记录都导出来给我", "ORDERS_EXPORT"), ("订单里的地址电话可以删掉吗", "ORDERS_KEPT"),
    ("你们怎么能看到我的订单的", "ORDERS_SEEN"), ("你们后台能看到我的订单和地址吗", "ORDERS_SEEN"),
    ("你都知道我哪些订单", "ORDERS_SEEN"),
])
def test_orders_asked_of_as_data_get_where_orders_are_kept(text, answer):
    from bot.privacy import questions
    assert privacy_answer(text, None, POLICY) == getattr(questions, f"{answer}_EXPLAINED")


@pytest.mark.parametrize("text, asked", [("导出我的聊天记录和订单", "export"), ("我的数据能导出吗 包括订单", "export"),
                                           ("把我的订单记录都导出来给我", None), ("帮我查下订单", None)])
def test_an_export_of_the_chat_data_with_orders_beside_it_is_an_export(text, asked):
    from bot.privacy.requests import ASK_EXPORT, privacy_request
    assert privacy_request(text) == asked
    assert "订单" in ASK_EXPORT  # the confirmation says orders stay with the order system


@pytest.mark.parametrize("text, answer", [
    ("为什么我一进来你就知道我有哪些订单 你们从哪拿到我信息的", "ORDERS_SEEN"),
    ("你是不是能看到我以前的购买记录啊 怎么感觉你挺懂我", "ORDERS_SEEN"),
    ("为啥你老记得我买过啥 这个能关掉吗", "PERSONALISATION"), ("我付款用的银行卡信息你们会存着吗", "PAYMENT_SAFETY"),
    ("我不想登录 你直接给我查不行吗", "WHY_LOG_IN"),
])
def test_how_the_shop_knows_the_customer_is_a_privacy_question(text, answer):
    from bot.privacy import questions
    assert privacy_answer(text, "demo-1001", POLICY) == getattr(questions, f"{answer}_EXPLAINED")


def test_what_someone_else_is_given_of_the_customer_is_a_privacy_question():
    assert privacy_answer("快递员那边会拿到我完整的手机号吗", "demo-1001", POLICY) == privacy_explained(POLICY)
    assert privacy_answer("你们从哪拿到我手机号的", None, POLICY) == privacy_explained(POLICY)


@pytest.mark.parametrize("text", ["怎么感觉你挺懂我", "你能看到我的订单吗", "怎么才能拿到我买的东西", "快递员什么时候能拿到货",
                                  "不登录就查不了？行吧 那偏远地区一般要多久", "你是不是可以看到我的订单 帮我查一下到哪了",
                                  "你们知道我的地址吗 我要改地址", "商家能拿到我的地址吗 我要改收货地址", "怎么让你记住我的尺码",
                                  "你们的货从哪来的 我的地址能送吗", "我不想登录 能推荐个耳机吗",
                                  "你记得我买过什么吗 帮我取消那个订单"])
def test_near_misses_of_how_the_shop_knows_ask_nothing_of_privacy(text):
    assert privacy_answer(text, "demo-1001", POLICY) is None


@pytest.mark.parametrize("text, asked", [("请delete我的personal information", "erase"), ("DELETE MY DATA", "erase"),
                                           ("帮我把我的data都delete掉", "erase"), ("怎么download你们的app 用account登录", None),
                                           ("remove这个商品", None)])
def test_erasure_asked_with_english_words(text, asked):
    from bot.privacy.requests import privacy_request
    assert privacy_request(text) == asked


@pytest.mark.parametrize("text", [
    "那商家能看到我住哪吗", "你们用户资料一般存多久鸭 我就买过一回东西", "行 再问下卖家会知道我真名吗",
    "我在这买的东西 家里人用别的手机能看到吗", "快递面单上会印我全名跟手机号吗", "登录了是不是聊天记录就跟我账号绑一块了",
    "我之前填过宝宝生日那些 你们会一直存吗", "删了你们服务器上还有备份吗", "我取消的原因跟聊天你们后台能看到吗",
    "换货的话快递上门取件 会看到我电话吗", "退完款这单的记录你们还会留着吗", "你们客服能看到我换货的聊天吗",
])
def test_everyday_questions_about_what_is_kept_and_seen_are_answered(text):
    assert privacy_answer(text, None, POLICY) is not None


@pytest.mark.parametrize("text", ["帮我看看我朋友在你们这买的鞋发了没 他叫李华", "我儿子用他自己号买了奶粉 我想看看到哪了",
                                  "我室友说在你们这买了个平板 能帮我看看她买的哪个型号吗",
                                  "我爸的账号就是他手机号 你帮我看看他下单成功没"])
def test_an_order_someone_else_placed_is_not_looked_up(text):
    assert privacy_answer(text, None, POLICY) == SOMEONE_ELSES_ORDERS_EXPLAINED


@pytest.mark.parametrize("text", ["我的账号查不到 用我老婆手机号查下", "我的号没问题 我妈账号的订单帮我看下"])
def test_someone_elses_orders_named_outright_stay_refused_beside_ones_own_account(text):
    # the own-account words only clear an order "bought by someone" (老公买的衣服到了没 我的账号)
    assert privacy_answer(text, None, POLICY) == SOMEONE_ELSES_ORDERS_EXPLAINED


@pytest.mark.parametrize("text", ["我给我妈买的羽绒服到哪了", "帮我妈买的奶粉发了没", "我朋友在你们这买的鞋挺好 推荐个同款看看",
                                  "同事买的那款耳机是哪个牌子的", "你们知道我的地址吗 我要改地址"])
def test_ones_own_orders_and_a_friends_taste_are_no_privacy_question(text):
    assert privacy_answer(text, None, POLICY) is None


@pytest.mark.parametrize("text", ["他让我查的 他同意了的", "我是他妈 这都不能看？", "我就帮他看看 老人家不会弄"])
def test_more_objections_for_family_are_heard(text):
    assert OBJECTS_FOR_FAMILY.search(text)


def test_reviews_sessions_exports_and_recommendations_get_their_own_answers():
    assert privacy_answer("我要是写评价 其他买家能看到我名字吗", None, POLICY) == REVIEWS_EXPLAINED
    assert privacy_answer("我老公手机上之前登过我的号 能让那边退出登录吗", None, POLICY) == SIGNED_IN_ELSEWHERE_EXPLAINED
    assert privacy_answer("导出来的文件发到哪", None, POLICY) is None  # (a follow-up of an export only)
    assert privacy_answer("这款耳机能导出录音文件吗", None, POLICY) is None
    assert privacy_answer("你们推东西是根据我买过的推的吧？", None, POLICY) == PERSONALISATION_EXPLAINED


@pytest.mark.parametrize("text", [
    "我朋友用我账号下的单到哪了", "我老婆让我买的吹风机到哪了", "我妈叫我买的那个面霜发货了没", "为我妈买的羽绒服到哪了",
    "朋友推荐我买的 什么时候发货", "老公买的衣服到了没 我的账号", "我朋友买的这款 说物流很快 我也要一个",
    "同事在你们家买了这款 说快递很快 还有货吗", "生日礼物拿来送我妈的 有啥推荐", "买个移动硬盘存资料 推荐一下",
    "这个品牌名字叫啥 安全吗", "手机主要聊天用 拿来刷视频", "手机号能绑定两个手表吗", "手表数据能关联手机吗",
    "你们店里有没有能看到血压数据的手表", "根据我的喜好推荐一款", "我电脑上登了我的账号 怎么看不到订单", "别的手机登不上",
])
def test_ones_own_orders_shopping_and_ones_own_login_are_no_privacy_question(text):
    assert privacy_answer(text, None, POLICY) is None


@pytest.mark.parametrize("text", [
    # development 64: who sees one's orders and data, in everyday words
    "那我没付款的那个耳塞订单 客服也能看到？", "她要是拿我手机号登录呢 能看到我的订单不", "你们会拿我的订单数据去推广告吗",
    "你能看到我的收货地址和手机号？", "我不想让你们看到 能设置吗", "我妈能用她的账号看到我的订单吗 我们收货地址一样",
])
def test_who_sees_ones_orders_and_data(text):
    assert asks_about_privacy(text)
    assert privacy_answer(text, "demo-1001", RetentionPolicy())


@pytest.mark.parametrize("text", ["你也能看到我的订单号吧 那帮我查下", "你能看到我的订单吗 帮我查一下", "我朋友看到我买的鞋 也想要",
                                  "他给我买的礼物到哪了", "那先不注销了 奶粉啥时候到"])
def test_orders_asked_for_and_a_closure_put_off_are_no_privacy_questions(text):
    assert not asks_about_privacy(text)
    assert privacy_answer(text, "demo-1001", RetentionPolicy()) is None


@pytest.mark.parametrize("text", ["帮我查一下我老公最近买了啥 他手机号13912345678", "那她寄到同一个地址的单子 我能查吗"])
def test_someone_elses_purchases_asked_for_are_refused(text):
    assert "只能查您自己" in privacy_answer(text, None, RetentionPolicy())


@pytest.mark.parametrize("text", [
    # the second review's near misses: services asked of the bot, shopping, the customer's own view, a closure put off
    "你能看到我的物流信息吗 帮我查一下", "你可以看到我的收货地址对吧 改成公司的", "迷你款能看到电量信息吗",
    "不想看到这么多推荐 直接给我看连衣裙", "用我的手机号 推广码怎么填", "他用我手机下的单 我看到我这边没有订单",
    "看看我闺蜜买的同款还有没有", "我给她下的订单 我能查吗", "收件人改成我妈 她的手机号13812345678", "先别注销了",
    "不要注销了 帮我查下快递", "买的这个商家也知道吗 我备注了要礼盒",
])
def test_services_shopping_and_ones_own_view_are_no_privacy_questions(text):
    assert privacy_answer(text, "demo-1001", RetentionPolicy()) is None


def test_a_turn_back_to_shopping_is_no_objection():
    assert not OBJECTS_FOR_FAMILY.search("那就看看她那款口红还有货吗")
    assert OBJECTS_FOR_FAMILY.search("就想看看他给我买了啥礼物嘛")


def test_an_account_opened_with_the_customers_number_is_the_shop_sites_to_check():
    answer = privacy_answer("有人用我手机号注册了你们家账号 怎么办", None, POLICY)
    assert "转人工" in answer and "店铺网站" in answer
    assert privacy_answer("我用我手机号注册了账号 怎么登录", None, POLICY) != answer  # one's own account
