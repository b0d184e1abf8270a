"""Questions about the customer's data (隐私问题), answered with what the system really does.

Asked in many ways: what is kept and who sees it (你们存了我哪些信息 · 快递员能看到完整号码吗),
marketing (别给我发营销短信了), closing the account (账号注销怎么弄), what the bot knows
of the customer (你知道我是谁吗), training (拿我聊天内容训练AI吗).  Each answer says only what
this system does or cannot do; the conversation gate (bot/channels/conversation_gate.py) gives it
before the NLU sees the message.  Requests to erase or export are bot/privacy/requests.py's.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Optional

from bot.privacy.retention import RetentionPolicy

# (电话手表 is a watch for sale, no personal data)
# (住哪 · 真名 · 头像昵称 · 宝宝生日: what a person is known by; 换货的聊天 · 跟聊天 as much as 聊天记录; 存资料 ·
# 品牌名字 · 生日礼物 · 主要聊天用 are none)
_PERSONAL = (r"(?:手机号|电话(?!手?表)|号码|信息|数据(?!线)|隐私|聊天[记纪]录|聊天内容|(?<=[的跟和])聊天(?![室用])|个人信心"
             r"|(?:个人|用户|我的|会员)资料|对话|说的话|聊的(?:这些|内容|东西|话)|地址|身份证"
             r"|住哪|住在哪|住址|真名|全名|真实姓名|姓名|我的?名字|头像|昵称|(?:宝宝|孩子|我的?)生日"
             r"|购买记录|购物记录|消费记录|买东西的记录|浏览记录|银行卡|卡号|支付密码|密码|订单(?:信息|记录)?"  # (订单: only with a fear, NOT_PERSONAL)
             r"|(?i:(?<![a-z])(?:data|info|information|privacy)(?![a-z])))")  # 你们会把my data卖给别人吗
_WHO_ELSE = r"(?:商家|店家|卖家|客服|你们|别人|外人|快递员?|骑手|第三方|其他店铺|别的店|别的买家|其他买家|后台)"
# 帮我查下我老公的订单 · 用我妈的手机号查下快递: someone else's orders, which only their own login opens
_SOMEONE = (r"(?:老公|老婆|媳妇|爱人|对象|男朋友|女朋友|男票|女票|老妈|老爸|妈妈|爸爸|我妈|我爸|父母|家人|朋友|同事|同学|闺蜜"
            r"|室友|儿子|女儿|亲戚|别人|他人|其他人"
            # (小姐姐 addresses the service)
            r"|我弟|我哥|我姐|我妹|弟弟|哥哥|(?<!小)姐姐|妹妹|[表堂][弟哥姐妹]|婆婆|公公|岳母|丈母娘|邻居|舍友)")
# 我老公能不能查到 · 随便谁拿我手机号都能查到吗: someone else than the customer, anyone at all
_ANYONE_ELSE = r"(?:" + _SOMEONE + r"|爸妈|外人|陌生人|其它人|任何人|随便谁|谁都)"
_SEES = r"(?:能|可以|会)?(?:随便)?(?:看到|看见|看得到|看得见|查到|随便看)"
_ = r"[^，。！？,.!?]"
# 地址会不会被别的买家看到 · 不想被家人看到购买记录: seen by someone else
_SEEN_BY_OTHERS = (r"被(?:别人|他人|外人|家人|家里人|其他人|别的买家|其他买家|商家|卖家|快递员?|人)(?:看到|看见|知道|查到)")
# Fragments that both ask about the data and fear for it (so an order's data, which NOT_PERSONAL leaves out, counts):
# 你们会记录我的订单吗 · 你都知道我哪些订单 · 订单信息你们会给快递公司吗 · 还留在你们系统里吗
_KEPT_OR_KNOWN = (r"(?:会|会不会)(?:记录|保存|存着)|(?:你们|你)(?:都)?知道我(?:哪些|什么|啥)|给(?:快递公司|别的公司|其他公司)"
                  r"|留在(?:你们)?(?:系统|后台|数据库)|留在你们(?:这|那)")
# 别人拿着我手机号能查到我订单吗 · 我妈用她手机号帮我下的单 她能看到我所有订单吗: someone else looking the customer up
_OTHERS_LOOK_ME_UP = (r"" + _ANYONE_ELSE + r"[^，。！？,.!?]{0,8}查(?:得)?(?:到)?我"
                      r"|" + _ANYONE_ELSE + r"[^，。！？,.!?]{0,12}(?:能|会|可以)(?:看到|看见|查到)我")
# 你怎么知道我的订单号的: how the shop knows what it shows it knows (a fear for an order's data too)
_HOW_KNOWN = r"(?:你们|你)(?:是)?(?:咋|怎么|为啥|为什么)(?:会|能)?(?:知道|看到|查到)我的?(?:订单号|订单|手机号|电话|地址|名字)(?:的|呢|啊)?[?？]*$"
# 为什么我一进来你就知道我有哪些订单 · 为啥你老记得我买过啥 · 你是不是能看到我以前的购买记录 · 你们从哪拿到我信息的:
# how the shop knows the customer (a fear for an order's data too)
# (怎么让你记住我的尺码 wishes to be remembered; 你是不是可以看到我的订单 帮我查一下 asks for the orders)
_HOW_THEY_KNOW = (r"(?:为什么|为啥|怎么|咋)(?!让|才能|能让)" + _ + r"{0,8}(?<![让叫])你(?:们)?(?:就|都|老|总|一直)?"
                  r"(?:知道|记得|记着|记住)我(?:有|买|住|叫|的|在|看)"
                  r"|你(?:们)?是不是(?:能|可以)?(?:看到|看得到|知道)我(?:以前|之前|所有|全部)?的?"
                  r"(?:购买记录|购物记录|浏览记录|聊天记录|个人信息|隐私)"
                  r"|(?:从|在)(?:哪|哪里|哪儿)(?:拿到|拿的|弄到|弄的|搞到|搞的|得到)" + _ + r"{0,2}我的?(?:信息|数据|资料|手机号|电话|地址)")
# 你们会拿我的订单数据去推广告吗 (推广码怎么填 · 推广活动能参加吗 ask no such thing)
_USED_FOR_ADS = (r"(?:拿|用)" + _ + r"{0,4}" + _PERSONAL + _ + r"{0,6}(?:推广告|打广告|投广告|做广告|推送广告|做营销|营销)"
                 + _ + r"{0,4}(?:吗|么|不|[?？])")
# 她要是拿我手机号登录呢 能看到我的订单不 (他用我手机下的单 我看到我这边没有订单: the customer sees)
_LOGS_IN_AS_ME = (r"(?:" + _ANYONE_ELSE + r"|他|她)[^。！？.!?]{0,12}(?:拿|用)(?:着)?(?:我|她|他)的?(?:手机号|手机|账号|电话)"
                  r"[^。！？.!?]{0,12}(?<!我)(?:能|可以|会)?(?:看到|看见|查到|知道)我[^。！？.!?]{0,8}(?:吗|么|不|[?？])")
# 你能看到我的收货地址和手机号？: what the bot itself sees (你能看到我的物流信息吗 帮我查一下 · 你可以看到我的收货地址对吧 改成
# 公司的 · 迷你款能看到电量信息吗 ask a service)
_BOT_SEES_MY_DATA = (r"^(?!.*(?:查|帮我|改|退款|物流|积分|发票|回购|买的|买过|订单))(?<!迷)你(?:们)?(?:能|可以)(?:看到|看见)我的?"
                     + _ + r"{0,6}" + _PERSONAL + _ + r"{0,6}(?:吗|么|[?？])")
# 那我没付款的那个耳塞订单 客服也能看到？: seen too, after the answer on who sees
_SEEN_TOO = r"(?:客服|你们|你|商家|卖家)也(?:能|可以|会)?(?:看到|看见)[^，。！,.!吧]{0,8}(?:[?？]|吗|么|不|嘛)"
# 你们会不会把我手机号卖给别人 · 我不想你们保存我的信息: a question about what is kept, not a request.
ASKS_ABOUT_PRIVACY = re.compile(
    r"(?:卖|泄露|泄漏|外泄|给别人|共享|分享|保存|(?<!库)存(?:了|着|下)?|留着|留了|收集|记录|记了)" + _ + "{0,8}" + _PERSONAL
    + r"|" + _PERSONAL + _ + r"{0,8}(?:卖|泄露|泄漏|外泄|安全|保存|保留|存多久|存起来|存储|存着|存(?:不|吗|么|没)|被记|被存"
    # 跟你聊的东西会不会被拿去给我推广告 · 把我的购买记录给品牌方了
    + r"|会被?记|会被?存|一直存|给别人|拿去|拿来|用来|用于|给(?:品牌方?|厂家|商家|卖家|别的平台|其他平台)"
    + r"|露出去|露出来|曝光|公开|(?:跟|和)我(?:的)?(?:账号|账户)绑|绑(?:一块|一起)"
    # 我的信息加密了吗 · 银行卡信息你们存了吗 · 地址会不会被别的买家看到 · 还留在你们系统里吗 · 分享给广告公司
    + r"|加密|存了(?:吗|么|没)|" + _SEEN_BY_OTHERS + r"|分享给|还有谁"
    + r"|谁(?:都)?(?:能|可以)看|别人能看|被人看|第三方|外人|给谁|一直留|会一直留|留着(?:吗|么|嘛|不)|被录|录下来|录音|(?:留|会|被|做)记录|记录(?:吗|么|嘛|不)|(?:会|自动)删|存下来|漏出去|流出去"
    + r"|" + _WHO_ELSE + _ + "{0,4}" + _SEES + ")"
    + r"|" + _WHO_ELSE + _ + "{0,4}" + _SEES + _ + "{0,8}" + _PERSONAL  # 快递员能看到完整号码吗 · 卖家是不是能看到
    + r"|" + _BOT_SEES_MY_DATA + r"|(?:订单|买的|买了啥)" + _ + r"{0,6}" + _SEEN_TOO
    # 换货的话快递上门取件 会看到我电话吗: who comes to the door
    + r"|(?:快递|骑手|取件)" + _ + r"{0,8}(?:会|能)(?:看到|看见|知道)我的?" + _PERSONAL
    # 快递员能看到我买的东西吗 · 其他店铺能看到我在你们这买的东西吗
    + r"|" + _WHO_ELSE + _ + "{0,4}" + _SEES + _ + r"{0,4}我" + _ + r"{0,6}买(?:的|了|过)"
    + r"|" + _OTHERS_LOOK_ME_UP
    # 我买过的东西你们会一直留着记录吗
    + r"|(?:买过|买)的东西" + _ + r"{0,8}(?:一直留|留着记录|会留记录|保留记录)"
    + r"|(?:隐藏|隐去|遮住|遮挡|打码|加密)" + _ + "{0,6}" + _PERSONAL + r"|隐私面单|虚拟号"  # 快递单上能隐藏号码吗
    # 卖家会知道我真名吗 · 快递小哥能知道我买的是啥不 (你们知道我的地址吗 asks the shop to look it up)
    + r"|(?:商家|店家|卖家|快递员?|骑手|第三方|其他店铺|别的店|别的买家|其他买家|别人|外人)" + _ + r"{0,4}"
    + r"(?:会|能|可以)?知道" + _ + r"{0,4}(?:" + _PERSONAL + r"|我" + _ + r"{0,4}买(?:的|了|过))"
    + r"|面单" + _ + r"{0,6}(?:印|显示|写|打)" + _ + r"{0,4}" + _PERSONAL
    + r"|把我" + _ + r"{0,2}" + _PERSONAL + _ + r"{0,6}(?:露|曝光|公开)"
    # 退完款这单的记录你们还会留着吗 · 删了你们服务器上还有备份吗: kept after it is done or deleted
    + r"|记录" + _ + r"{0,6}(?:还会|会|还)?(?:留着|保留|存着)(?:吗|么|嘛|不)|(?:删|清)" + _ + r"{0,10}(?:备份|留底)"
    + r"|隐私政策|隐私(?:怎么|如何|安全)|(?:能|会|可以|会不会|是不是)(?:再|一直)?记(?:住|得|录|着)?(?:我|我的)"  # 能记住我买过啥吗 · 还会记我的喜好吗
    + r"|" + _PERSONAL + _ + r"{0,6}(?:存|放|保存)(?:在)?(?:哪|什么地方)"  # 我的地址电话你们存哪了
    + r"|(?:拿|用)" + _ + "{0,4}" + _PERSONAL + _ + r"{0,4}(?:干嘛|干啥|干什么|做什么|做啥)"  # 拿我的聊天记录干嘛
    # 我在你们这看过啥你们都知道? · 我买过什么你们都记着吗: what the shop knows of the customer's browsing
    + r"|(?:看过|买过|浏览过|搜过)(?:啥|什么|哪些|的东西)" + _ + r"{0,8}(?:都|也)?(?:知道|记着|记得|存着|看得到)"
    # 你们存我啥了 · 都记了我哪些东西: what is kept of the customer, asked outright
    + r"|(?:存|记|留|收集)(?:了|着)?(?:我)(?:的)?(?:啥|什么|哪些)|(?:存|记|留|收集)(?:了|着)?(?:我)?(?:的)?(?:哪些|啥)(?:东西|信息|数据)"
    # 那你们平时都存了些啥 · 你们一般都记些什么: what the shop keeps, asked of it
    + r"|你们(?:平时|一般|到底)?(?:都)?(?:存|记|留|收集)(?:了|着|下)?(?:些|点)?(?:啥|什么|哪些)(?:东西|信息|数据)?[?？吗呀啊呢]*$"
    # 能不能别记我聊了啥: not to be remembered
    + r"|(?:别|不要|能不能别)(?:再)?记(?:录)?(?:我|下)"
    # 你咋知道我叫啥 · 你是怎么知道的 我又没告诉你: how the bot knows what it shows it knows
    # (怎么知道我该买多大的 · 怎么知道我适合哪款 ask how to choose)
    + r"|(?:咋|怎么|为啥|为什么)(?:会)?知道(?:的|我(?!该|适合|合适|穿|要选|选|能用|用哪|是[干油混敏]"
    + r"|的(?:快递|订单|包裹|鞋|码|尺码|肤质|皮肤)))"
    + r"|叫得出我|被监视|监控我|盯着我"
    + r"|" + _HOW_THEY_KNOW
    # 快递员那边会拿到我完整的手机号吗: what someone else than the shop is given of the customer
    + r"|(?:快递员?|骑手|第三方|外人|别人|其他店铺|别的店)" + _ + r"{0,4}(?:会|能)?(?:拿到|知道)" + _
    + r"{0,6}(?:手机号|电话号|号码|地址|姓名|名字|个人信息)"
    # 你们为什么能看到我买过什么 · 你怎么知道我的订单号的: how the shop sees what it shows it sees
    + r"|(?:为什么|为啥|凭什么|怎么)" + _ + r"{0,4}" + _SEES + r"我(?:买过|买了|买的|看过|浏览)"
    + r"|" + _HOW_KNOWN + r"|" + _KEPT_OR_KNOWN
    # 我不想让你们记住我的地址 · 不同意你们用我的数据 怎么撤回同意
    + r"|不想(?:让)?(?:你们)?(?:记住|记着|保存|存着|留着)|不想让?(?:你们|你|客服|别人)(?:看到|看见|知道)"
    + r"|撤回(?:同意|授权)|同意" + _ + r"{0,10}撤回"
    # 你们会拿我的订单数据去推广告吗: the data used for advertising
    + r"|" + _USED_FOR_ADS
    # 她要是拿我手机号登录呢 能看到我的订单不 · 我妈能用她的账号看到我的订单吗: someone else's login onto one's orders
    + r"|" + _LOGS_IN_AS_ME
    # 我老公能不能查到我在你们这下的单: who else can look the customer up
    + r"|" + _ANYONE_ELSE + _ + r"{0,4}(?:拿|用|凭|按)(?:着)?我的?"
    + r"(?:手机号|电话|号码|名字|姓名)" + _ + r"{0,4}查(?:得)?到"
    # 聊天记录你们留多久 · 我的地址你们存了多久: how long it is kept
    + r"|" + _PERSONAL + _ + r"{0,6}(?:留|保留|保存|存)(?:了)?(?:多久|多长时间|几天|多少天)"
    # 你们会不会偷看我聊天 · 我买了啥你们都能看到 · 快递员能看到我买的东西吗: who sees what the customer does
    + r"|偷看" + _ + r"{0,4}(?:我|聊天|记录)"
    + r"|(?:我)?(?:买了啥|买了什么|买的东西|买过的东西|买过啥)" + _ + r"{0,12}" + _SEES
    # 我没注册啊 就跟你聊了几句: what is kept of a guest who only chatted
    + r"|没(?:注册|登录|登陆)" + _ + r"{0,3}[\s，,]*" + _ + r"{0,4}(?:聊|说|问)了(?:几句|两句|一会儿?)?[啊呀嘛吧。.!！?？~～\s]*$")
# Not the customer's data: the shop's lists and the cart (我的订单能看到吗 asks to see them) …
NOT_PERSONAL = re.compile(r"购物车|收藏|订单|商品|优惠券|地址簿")
# … unless the words fear for them (订单信息会不会泄露 · 你们会把我的订单卖给别人吗 · 我的订单信息别人能看到吗).
_FEARS_FOR_DATA = re.compile(r"泄露|泄漏|外泄|卖给|卖掉|别人(?:能|会|可以)?(?:看到|看见|知道)|被人看|第三方|偷看|隐私"
                             # 给别人看吗 · 谁都能看见 · 还有谁能看到 · 被家人看到 · 信息安全吗 · 加密了吗
                             r"|给别人看|谁(?:都)?(?:能|可以|会)?看|还有谁|" + _SEEN_BY_OTHERS
                             + r"|信息安全|数据安全|加密"
                             # 订单记录你们存多久 · 一直留着记录吗 · 删了后台还有记录吗: how long it is kept
                             r"|(?:存|留|保存|保留)(?:了)?(?:多久|多长时间)|一直(?:留|存)|还会?(?:存|留)着|还有记录|还有备份"
                             r"|彻底(?:清除|删)"
                             r"|" + _HOW_KNOWN + r"|" + _HOW_THEY_KNOW + r"|" + _KEPT_OR_KNOWN
                             + r"|" + _OTHERS_LOOK_ME_UP
                             # 卖家是不是能看到我所有的订单 · 客服能随便看我的购物记录吗
                             + r"|(?:商家|店家|卖家|其他店铺|别的店|后台)[^，。！？,.!?]{0,4}(?:能|可以)?(?:随便)?(?:看到|看见|看)"
                             + r"|客服[^，。！？,.!?]{0,4}随便看"
                             # 那我没付款的那个耳塞订单 客服也能看到？: seen too, after the answer on who sees
                             + r"|" + _SEEN_TOO + r"|" + _USED_FOR_ADS + r"|" + _LOGS_IN_AS_ME

                             + r"|" + _ANYONE_ELSE + r"[^，。！？,.!?]{0,4}(?:拿|用|凭|按)(?:着)?我的?(?:手机号|电话|号码)")

# 别给我发营销短信了 · 怎么取消你们的营销推送 · 不要再打电话推销了 · 你们哪来的我手机号
_MARKETING = re.compile(r"营销|推销|(?:关掉|关闭|取消|别发|退订)[^，。！？,.!?]{0,4}推广(?:消息|短信|信息)|推消息|退定(?!金)"
                        r"|广告(?:短信|电话|邮件)|骚扰(?:短信|电话)|促销(?:短信|电话|邮件|推送)"
                        r"|(?:短信|邮件|推送|电话)" + _ + r"{0,4}(?:退订|关掉|关闭|取消)"
                        r"|(?:退订|关掉|关闭|取消|别再?发|不要再?发|别再?打)" + _ + r"{0,6}(?:短信|邮件|推送|电话)"
                        # 别再给我发短信了 烦 TD · 邮箱里全是你们的广告 unsubscribe怎么弄
                        r"|(?:别|不要)再?(?:给我|跟我)?发" + _ + r"{0,2}(?:短信|邮件|推送)|(?<![a-zA-Z])[tT][dD](?![a-zA-Z])"
                        r"|unsubscribe|全是(?:你们的?)?广告"
                        r"|哪(?:来|儿来|里来|弄)的?" + _ + r"{0,3}(?:手机号|电话|号码)"
                        r"|(?:咋|怎么|为啥|为什么)(?:会)?有我(?:的)?(?:手机号|电话|号码)"  # 你们咋有我手机号的 谁给的
                        # 别给我推送了 · 以后别给我推新品 · 老给我推口红 我又不用 别推了 (这款别推了: that product;
                        # 吃的就别推了 · 口红面霜啥的都别推: kinds refused in a search)
                        r"|(?<![这那个款的就都也])(?:别|不要|不用)(?:再|老|总)?(?:给我|跟我)?(?:推送|推(?:新品|新款|广告|活动|了))")
# 账号注销怎么弄 · 注销了订单记录还在吗
# (那先不注销了 奶粉啥时候到: not closed, another question)
_ACCOUNT_CLOSURE = re.compile(r"(?<!不)(?<!别)(?<!不要)(?<!不想)(?:注销|注消|销户)|(?<!不)(?<!别)(?:删|关)(?:掉|除)?" + _
                              + r"{0,2}(?:账号|账户)")
# 你知道我是谁吗 · 你认识我吗
_WHO_AM_I = re.compile(r"(?:知道|晓得|认识|认得|记得)(?:我是谁|我吗|我不|我么)|我是谁你知道")
# 订单记录也会删吗 · 删了数据订单还在吗: what erasure leaves (the order system keeps orders)
# (有个待付款的订单还在不 asks after an order, nothing deleted)
_ORDERS_KEPT = re.compile(r"(?:订单|购买记录)(?:记录|信息)?" + _ + r"{0,6}(?:会被?删|也删|也会删|删吗|删掉吗|也没了)"
                          r"|删(?:了|掉|除)?(?:的)?(?:订单|购买记录)" + _ + r"{0,4}(?:还|能|也)(?:查|看)(?:得到|到|得着)"
                          r"|(?:删|清空|清除)" + _ + r"{0,8}(?:订单|购买记录)(?:记录|信息)?" + _ + r"{0,6}(?:还在|还留着|会保留)"
                          r"|删(?:了|掉|除|完)?(?:以后|之后|后)" + _ + r"{0,8}(?:订单|购买记录)"
                          # 删掉我的订单记录 · 订单删除了 你们后台还有记录吗 · 删除的订单数据会彻底清除吗
                          r"|(?:删|清空|清除)(?:掉|了|除)?(?:我的?)?(?:订单|购买)记录"
                          r"|订单(?:删除|删掉|删)了?" + _ + r"{0,12}(?:还有记录|还存着|还留着|是不是还|彻底)"
                          r"|删除的订单" + _ + r"{0,6}(?:彻底|清除|还在|还有)"
                          # 订单里的地址电话可以删掉吗: an order's own details, which the order system keeps
                          r"|订单(?:里|上)的?" + _ + r"{0,6}(?:删掉|删除|抹掉)")  # 删了以后还能查以前的订单吗
# (我妈的快递 may be a parcel the customer sent her: only orders and records are someone else's for sure)
# 我爸账号的订单 · 用我妈手机号查 · 他手机号尾号是…: someone else's orders named outright
_SOMEONE_ELSES_ORDERS = re.compile(_SOMEONE + r"(?:的|名下的|账号的|账号上的|账号里的)(?:订单|购买记录)"
                                   # 帮我查查他账号的订单 (我给他账号下的单: mine)
                                   r"|(?<![给帮替为])(?:他|她)(?:的)?(?:账号|账户)(?:的|上的|里的|下的)(?:订单|购买记录)"
                                   # 我朋友的快递单号YT123 帮我查查 · 别人的快递单号能查吗
                                   r"|" + _SOMEONE + r"(?:的)?(?:快递|物流)?(?:单号|运单号)" + _ + r"{0,16}查"
                                   # 订单DD2024…帮我看下到哪了 是我同事的 · 是帮我朋友查的 · 隔壁老李的订单
                                   # (收件人是我姐的 · 订单是我的: one's own order sent to someone)
                                   r"|^(?!.*订单是我的)(?:订单|单号|快递|DD\d)[^。！？.!?]{0,30}(?<!收件人)(?<!收货人)是(?:我)?"
                                   + _SOMEONE + r"的[。.!！~～\s]*$"
                                   # (帮我妹妹查查有没有粉色的: shopping; 帮我妈查下我给她买的奶粉: one's own order)
                                   r"|^(?!.*(?:我给|我买|我账号|我的账号))[^。！？.!?]*?(?:帮|替)我?" + _SOMEONE
                                   + r"查(?:的|[^，。！？,.!?]{0,6}(?:订单|快递|物流|单号|到哪|发货))"
                                   r"|(?:隔壁)?老(?![款客顾式版号家样])[\u4e00-\u9fff]的(?:订单|购买记录)"
                                   r"|(?:用|拿|按|凭)我?" + _SOMEONE + r"(?:的)?(?:手机号|手机|电话|号码|账号)" + _ + r"{0,6}查"
                                   r"|(?:他|她)(?:的)?(?:手机号|电话号码?|账号)" + _ + r"{0,6}(?:开头|尾号|是1)"
                                   # 帮我查一下我老公最近买了啥 他手机号139… (收件人改成我妈 她的手机号138…: a new contact;
                                   # 看看我闺蜜买的同款还有没有: shopping)
                                   r"|查" + _ + r"{0,20}(?:他|她)(?:的)?(?:手机号|电话号码?)\s*1[3-9][0-9]{9}"
                                   r"|(?:查|看)(?:一下|下)?(?:我)?" + _SOMEONE + _ + r"{0,6}(?:买了|买过)(?:啥|什么|哪些|些啥)"
                                   # 那她寄到同一个地址的单子 我能查吗 (我给她下的订单 · 她用我账号下的 · 她帮我买的: mine)
                                   r"|^(?!.*(?:我给|给(?:她|他)|帮我|送我|我账号|我的账号))" + _
                                   + r"{0,4}(?:他|她)" + _ + r"{0,10}的(?:单子|订单)"
                                   r"[^。！？.!?]{0,6}(?:我)?(?:能|可以)(?:查|看)")
# 我朋友在你们这买的鞋发了没 · 我儿子用他自己号买了奶粉 我想看看到哪了 · 我爸的账号就是他手机号 你帮我看看他下单成功没:
# bought by someone else, looked up by the customer
# (我给我妈买的羽绒服到哪了 · 我妈用她手机号帮我下的单 · 我老婆让我买的 · 为我妈买的 · 用我账号下的单: mine;
# 我朋友买的这款 说物流很快 我也要一个: a friend's word on the shop)
_BOUGHT_BY_SOMEONE = re.compile(r"(?<![给送帮替为])(?<!给我)(?<!帮我)(?<!替我)(?<!为我)" + _SOMEONE
                                + r"(?:用|在|拿)?[^，。！？,.!?我]{0,8}(?:买的|买了|下的单|下单|下了单|的账号)"
                                + r"[^。！？.!?]{0,14}(?:发了没|发货了?没|到哪|到了没|到没到|查|成功没|单号"
                                r"|帮我看|看(?:看|下|一下)(?:他|她)(?:买|下|的))")
# 我俩是夫妻啊 这都不行, just after that answer: an objection, met with the same rule and a way forward
OBJECTS_FOR_FAMILY = re.compile(r"夫妻|两口子|一家人|家里人|家人|亲人|又不是外人|这都不行|都不行|通融|就查一下|查一下都不行"
                                # 他让我查的 他同意了 · 他也是你们会员啊 · 我是他妈 · 老人家不会弄 · 在我手机上登他的号
                                # (那我开个会员有优惠吗 · 那帮她看看别的口红吧: shopping)
                                r"|同意|让我(?:帮他|帮她|帮忙)?查|(?:一个|同一个|一样的)地址|住一起|也是(?:你们的?)?会员|一查|我是(?:他|她)|不会弄|不会用"
                                r"|就帮(?:他|她)(?:看|查)|登(?:他|她)的(?:号|账号)|告诉我[^，。！？,.!?]{0,10}就行|这都不能"
                                # 就想看看他给我买了啥礼物嘛 (那就看看她那款口红还有货吗: shopping)
                                r"|就想(?:看看|看一下|看下|知道)(?:他|她)[^，。！？,.!?]{0,6}(?:买了|买的|订单|给我买)")
SOMEONE_ELSES_ORDERS_EXPLAINED = ("为了保护每位顾客的隐私和数据安全，我只能查您自己登录账号下的订单，不能按手机号或姓名查别人的订单。"
                                  "请您的家人用他自己的账号登录后来问我；如果是用您的账号给他买的，直接告诉我是哪一单就好。")
FAMILY_ORDERS_EXPLAINED = ("理解您🙏 订单里有收件人的姓名、电话和地址，即使是家人，也要本人登录账号才能查，这是为了保护每位顾客的"
                           "数据安全。您可以让他登录后来问我；需要的话说“转人工”，客服会帮您看看其他办法。")
# 我的银行卡信息安全吗 · 付款密码会不会泄露
_PAYMENT_DETAILS = re.compile(r"银行卡|卡号|支付密码|密码|验证码")
# 个性化推荐怎么关 · 在哪关掉个性化: how, asked; the words that do it are the answer (bot/dialogue/commands.py)
_PERSONALISATION_HOW = re.compile(r"个性化" + _ + r"{0,6}(?:怎么|如何|在哪|哪里|咋|能不能|能|可以)(?:才能)?(?:关|开|设置|取消)"
                                  # 是不是按我浏览记录推东西的 不太想要这种 能关掉不
                                  r"|(?:根据|按照?)" + _ + r"{0,6}(?:浏览|看过|买过|搜过|记录)" + _ + r"{0,8}推"
                                  r"[^。！？.!?]{0,16}?(?:关掉|关闭|关了|能关|怎么关|在哪关)"
                                  r"|(?:怎么|如何|在哪|哪里|咋)(?:才能)?(?:关|开|取消)" + _ + r"{0,4}个性化")
# 为啥你老记得我买过啥 这个能关掉吗: being remembered, and not wanting it
_REMEMBERED = re.compile(r"(?:记得|记着|记住|知道)我(?:买|看|喜欢|搜)")
_TURNED_OFF = re.compile(r"关掉|关闭|关了|能关|怎么关|别记|不要记")
PERSONALISATION_EXPLAINED = ("说“关闭个性化推荐”，我就清除记下的偏好和浏览记录，之后也不再根据您看过、买过的东西推荐，"
                             "只按您每次说的条件挑；想恢复时说“打开个性化推荐”。")
# 我老公手机上之前登过我的号 能让那边退出登录吗: the shop's account, signed in elsewhere
# (我电脑上登了我的账号 怎么看不到订单 · 别的手机登不上: one's own login)
_SIGNED_IN_ELSEWHERE = re.compile(r"退出登录|挤下线|强制下线|" + _ANYONE_ELSE + r"[^，。！？,.!?]{0,10}(?:登|登录|登陆)(?:过|了|着)?"
                                  r"我的?(?:号|账号|账户)")
# 有人用我手机号注册了你们家账号 怎么办: an account someone else opened with the customer's details
_ACCOUNT_MISUSED = re.compile(r"(?:有人|" + _ANYONE_ELSE + r")[^，。！？,.!?]{0,4}(?:用|拿|冒用|盗用)(?:了)?我的?"
                              r"(?:手机号|电话|号码|身份证|名字|信息)[^，。！？,.!?]{0,6}(?:注册|开了|登录|登陆|绑定|绑了)")
ACCOUNT_MISUSED_EXPLAINED = ("账号的注册和登录由店铺网站管理，我这里看不到、也改不了哪个手机号开了哪个账号。请说“转人工”，"
                             "客服会核实后帮您处理；您也可以在店铺网站用这个手机号找回密码，确认账号在您手里。"
                             "我这边只保存聊天里的数据，个人信息保存时会自动打码。")
SIGNED_IN_ELSEWHERE_EXPLAINED = ("账号的登录由店铺网站管理，我这里没法让别的手机退出登录：可以在店铺网站的账号设置里改密码，"
                                 "别的设备就得重新登录；需要的话说“转人工”。我这边只保存聊天里的数据，登录后说“删除我的数据”"
                                 "可以全部清除。")
# 我要是写评价 其他买家能看到我名字吗 · 晒图会不会把头像露出去: reviews are the shop site's, not the chat's
_REVIEWS = re.compile(r"评价|晒图|买家秀|评论")
REVIEWS_EXPLAINED = ("评价和晒图是在店铺商品页发布的，显示哪些信息以发布页面上的说明为准，我这里看不到也改不了。"
                     "我这边只管聊天里的数据：您留下的手机号、地址等保存时会自动打码，登录后说“删除我的数据”可以清除。")
# How an export is handed over (导出来的文件发到哪, just after an export: bot/privacy/requests.py)
EXPORT_HOW_EXPLAINED = "数据副本不通过邮件发送：回复“确认导出”后，我在这里给您一个24小时内有效的下载链接（JSON 文件）。"
# 你们推东西是根据我买过的推的吧: whether recommendations follow what the customer did
# (根据我的喜好推荐一款 asks for products)
_PERSONALISED = re.compile(r"是(?:不是)?(?:根据|按照?|参考)" + _ + r"{0,4}(?:买过|看过|浏览|搜过|记录|喜好)" + _ + r"{0,6}推"
                           # 我买过的东西会被拿去给我推荐东西吗
                           r"|(?:买过|看过|浏览过|搜过)的?(?:东西|商品)?" + _ + r"{0,6}(?:拿去|拿来|用来|用于)" + _ + r"{0,6}推荐")
# 你们拿我聊天内容训练AI吗
_TRAINING = re.compile(r"训练|拿去学习|用来学习|喂给" + _ + r"{0,4}(?:AI|ai|模型|机器人)|(?:AI|ai|模型)" + _ + r"{0,4}学习")

WHY_LOG_IN = re.compile(r"(?:为啥|为什么|干嘛|凭什么|为何|怎么还|怎么又)(?:一定|非|还|就|得)?(?:要|得|让|叫)?(?:我)?(?:先)?"
                        r"(?:登录|登陆|绑定|验证身份|认证)|(?:已经|明明|早就|我都|我已经)(?:登录|登陆|登)(?:了|过)"
                        # 过敏了还得登录 服了 · 退个货还要登录: the login resented, the reason is the answer
                        r"|(?:还得|还要|非得|非要|必须|居然要|竟然要)(?:先)?(?:登录|登陆)"
                        # 用手机号查不行吗: another way than the login, asked for
                        r"|(?:用|拿|凭|报)(?:我的)?(?:手机号|电话|号码|名字|姓名)(?:码)?查(?:不行|行不行|可以|不可以|一下不行)"
                        # 我不想登录 你直接给我查不行吗: the login refused where an order was asked (不想登录 能推荐个耳机吗
                        # asks for products, which need none)
                        r"|不想(?:登录|登陆)[^。.!！]{0,10}(?:查|订单|快递|物流|退|换)"
                        # 真是我本人 不信你问: who they are told in words, which proves nothing
                        r"|(?:真|就|确实|肯定)是我本人|我就是本人|我是本人|不信你(?:问|查)")
# 为啥要登录啊 麻烦 · 我在app里登了啊 怎么还让登录: why orders need the customer's identity (customer-identity.md).
WHY_LOG_IN_EXPLAINED = ("订单里有您的姓名、地址和电话这些个人数据，所以查订单、办售后之前要先确认是您本人：登录后我才能确定"
                        "不是别人在问，也绝不会把一个人的订单给另一个人看。挑商品、问发货和售后规则不用登录。")
MARKETING_EXPLAINED = ("我这边（店铺的聊天助手）不会拿您的数据发营销短信、邮件，也不会打推销电话：只有您自己订阅的降价、到货、"
                       "上新提醒，会在这个聊天里通知您，说“退订全部提醒”就能全部取消。店铺会员短信里一般带有退订方式；"
                       "还有别的打扰，可以说“转人工”跟客服说明。")
ACCOUNT_CLOSURE_EXPLAINED = ("账号开在店铺的会员系统里，注销我这里办不了，需要的话说“转人工”，由客服按店铺的流程办理。"
                             "我能做的是删除您在聊天里留下的数据：登录后说“删除我的数据”就行。订单记录由店铺订单系统保存，"
                             "不会随聊天数据删除，售后和开票还要用到。")
# 把我的订单记录都导出来给我: orders are the order system's to show; the chat's data is exported here
_ORDERS_EXPORT = re.compile(r"(?:导出|下载|备份|打包)" + _ + r"{0,8}(?:订单|购买记录)|(?:订单|购买记录)" + _
                            + r"{0,8}(?:导出|下载|备份)")
ORDERS_EXPORT_EXPLAINED = ("订单记录由店铺的订单系统保存，在店铺“我的订单”里可以查看；我这里能导出的是您的聊天记录、记住的偏好、"
                           "提醒和工单，登录后说“导出我的数据”就行。")
ORDERS_KEPT_EXPLAINED = ("订单记录由店铺的订单系统保存，售后、开票和记账都要用到，不会随聊天数据删除；"
                         "删除您的数据时，删掉的是聊天记录、记住的偏好和提醒，工单里的个人信息也会抹去。")
# 我的订单别人能看到吗 · 卖家是不是能看到我所有的订单 · 你们为什么能看到我买过什么: who sees one's orders
_ORDERS_SEEN = re.compile(r"(?:订单|买的|买过|买了|购买记录|购物记录|消费记录)" + _ + r"{0,10}(?:看|查|知道)"
                          r"|(?:看|查|知道)" + _ + r"{0,10}(?:订单|买的|买过|买了|购买记录|购物记录|消费记录)")
ORDERS_SEEN_EXPLAINED = ("为了保护您的隐私，订单只有您本人登录后才能在这里查：我只查登录账号下的订单，别人拿着订单号、手机号"
                         "或姓名来问也查不到。订单本身由店铺的订单系统保存；您在聊天里留下的个人信息保存时会自动打码，"
                         "登录后说“删除我的数据”可以清除聊天记录。")
PAYMENT_SAFETY_EXPLAINED = ("付款都在微信支付、支付宝或云闪付自己的页面里完成，您的银行卡号和密码店铺和我都拿不到，也就不会保存；"
                            "客服也绝不会向您要密码或验证码，谁要都别给。聊天记录里如果发了银行卡号，保存时会自动打码。")
TRAINING_EXPLAINED = ("您的聊天内容不会自动拿去训练。机器人拿不准的句子，客服会在后台人工复核，确认后可能作为例句教给机器人；"
                      "这些句子里的手机号、地址等个人信息在保存时已经打码。不想保留的话，登录后随时说“删除我的数据”。")


def _normalized(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "")


def asks_about_privacy(text: str) -> bool:
    text = _normalized(text)
    return (not NOT_PERSONAL.search(text) or _FEARS_FOR_DATA.search(text) is not None) \
        and ASKS_ABOUT_PRIVACY.search(text) is not None


def asks_why_log_in(text: str) -> bool:
    return WHY_LOG_IN.search(_normalized(text)) is not None


def privacy_explained(policy: RetentionPolicy) -> str:
    """What happens to what the customer tells the bot, as the system does it (docs/privacy.md)."""
    return (f"您在聊天里留下的手机号、地址、证件号等个人信息，保存时都会自动打码；原文单独加密保存，"
            f"只有店铺授权的客服主管在处理您的问题时才能查看，而且每次查看都有记录。"
            f"聊天记录在最后一条消息{policy.conversations_days:g}天后自动删除。"
            "登录后您随时可以说“导出我的数据”拿到一份副本，或说“删除我的数据”立刻全部删除。")


def who_you_are(customer_id: Optional[str]) -> str:
    """你知道我是谁吗: what the bot knows of this customer, and nothing it does not."""
    if customer_id:
        return ("您已经登录了店铺账号，所以我能帮您查这个账号下的订单、办售后。除此之外，我只知道您在聊天里告诉我的需求"
                "和您看过的商品，用来推荐更合适的。说“删除我的数据”可以全部清除。")
    return ("您没有登录，我不知道您是谁：只记得这个聊天窗口里您说过的需求和看过的商品，用来推荐更合适的。"
            "查订单、办售后要先在店铺网站登录。")


# 烦死了还要登录 直接给我转人工: the login resented, but a person is what is asked for (the handoff answers)
_PERSON_ASKED = re.compile(r"转人工|人工客服|(?:找|要|叫)(?:个)?(?:人工|真人|活人)|(?:人工|真人|活人)在(?:吗|不|么)|有(?:没有)?(?:人工|真人)")


# 老公买的衣服到了没 我的账号: bought by someone, but on the customer's own account
_ONES_OWN_ACCOUNT = re.compile(r"我的?(?:账号|账户|号)")


def privacy_answer(text: str, customer_id: Optional[str], policy: RetentionPolicy) -> Optional[str]:
    """The answer to a question about the customer's data, or None when the message asks none."""
    text = _normalized(text)
    if _SOMEONE_ELSES_ORDERS.search(text) or (_BOUGHT_BY_SOMEONE.search(text) and not _ONES_OWN_ACCOUNT.search(text)):
        return SOMEONE_ELSES_ORDERS_EXPLAINED
    if _ACCOUNT_CLOSURE.search(text):
        return ACCOUNT_CLOSURE_EXPLAINED
    if _ORDERS_KEPT.search(text):
        return ORDERS_KEPT_EXPLAINED
    if _ORDERS_EXPORT.search(text):
        return ORDERS_EXPORT_EXPLAINED
    if _MARKETING.search(text):
        return MARKETING_EXPLAINED
    if _WHO_AM_I.search(text):
        return who_you_are(customer_id)
    if _PERSONALISATION_HOW.search(text) or (_REMEMBERED.search(text) and _TURNED_OFF.search(text)) \
            or _PERSONALISED.search(text):
        return PERSONALISATION_EXPLAINED
    if _ACCOUNT_MISUSED.search(text):
        return ACCOUNT_MISUSED_EXPLAINED
    if _SIGNED_IN_ELSEWHERE.search(text):
        return SIGNED_IN_ELSEWHERE_EXPLAINED
    if _PAYMENT_DETAILS.search(text) and asks_about_privacy(text):
        return PAYMENT_SAFETY_EXPLAINED
    if _TRAINING.search(text) and (re.search(_PERSONAL, text) or re.search(r"AI|ai|模型|机器人", text)):
        return TRAINING_EXPLAINED
    if asks_about_privacy(text):
        if _REVIEWS.search(text):
            return REVIEWS_EXPLAINED
        return ORDERS_SEEN_EXPLAINED if _ORDERS_SEEN.search(text) else privacy_explained(policy)
    if asks_why_log_in(text) and not _PERSON_ASKED.search(text):
        return WHY_LOG_IN_EXPLAINED
    return None
