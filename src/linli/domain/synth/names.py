"""Name and place-name material for synthetic people (common Chinese surnames with rough
frequencies, given-name characters, compound-name parts). Fake people only."""

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
# Rough weights: the first surnames are far more common.
SURNAME_WEIGHTS = [max(1.0, 8.0 - i * 0.12) for i in range(len(SURNAMES))]

GIVEN_MALE = "伟强军磊洋勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林欢阳建国志文斌峰成亮东"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞秀玲桂英红梅琳燕洁颖莉萍雪琴慧婷倩晶月欣怡佳雯璐蓉兰凤萍丹琼茜"
GIVEN_ANY = "子晨思雨嘉一梓可欣宇涵诗家瑞安乐书心语博文天锦蓉川蜀"

COMPOUND_FIRST = "锦玉金银翠华龙凤福康和兴盛丰泰瑞祥嘉华逸蓝桂棕紫荷梅兰竹松柏"
COMPOUND_SECOND = "苑园城庭居府湾里轩阁"
COMPOUND_PREFIX = (
    "锦绣",
    "玉林",
    "金沙",
    "蓝天",
    "阳光",
    "幸福",
    "和平",
    "东方",
    "南苑",
    "西城",
    "北斗",
    "新华",
    "翠苑",
    "龙湾",
    "桂花",
    "棕树",
    "紫荆",
    "芙蓉",
    "望江",
    "府河",
)
COMPOUND_SUFFIX = ("花园", "小区", "家园", "苑", "公寓", "新村", "雅居", "名城", "嘉园", "山庄")
VILLAGE_GROUPS = "一二三四五六七八九十"

ORG_KINDS = ("社会工作服务中心", "社区发展中心", "志愿者协会", "公益服务社")
ORG_WORDS = ("同心", "邻里", "暖阳", "和睦", "守望", "益行", "安康", "同行", "众善")
