"""Word lists for synthetic Hangzhou data: name parts, industries, the municipal departments the
2016 plan names, list types. Plausible, not real: no real subject is described."""

from __future__ import annotations

# 字号 characters: combined two or three at a time they make trade names.
TRADE_CHARS = (
    "华鑫恒达泰丰盛信诚宏远祥瑞安康兴隆嘉禾中天新源金鼎博创东方明辉科宇海润联合利民永和富强"
    "佳美星光锦绣春晖鸿运天成万通聚德汇通正大仁和绿源云图蓝海湖畔西子钱塘之江运河良渚龙井"
    "百川千禧君悦伟业立达腾飞卓越精诚智慧启航宏图鼎盛协力同创宝龙昌盛景泰和顺长青方圆晨曦"
)
INDUSTRIES = (
    ("科技", "软件和信息技术服务业", 14), ("网络科技", "互联网和相关服务", 10),
    ("贸易", "批发业", 12), ("电子商务", "零售业", 9), ("建材", "建材批发", 5),
    ("建筑工程", "房屋建筑业", 6), ("餐饮管理", "餐饮业", 5), ("物流", "道路运输业", 5),
    ("农业开发", "农业", 3), ("文化传媒", "文化艺术业", 5), ("医疗器械", "专用设备制造业", 3),
    ("食品", "食品制造业", 4), ("服饰", "纺织服装、服饰业", 5), ("汽车销售", "零售业", 3),
    ("茶业", "茶叶加工", 2), ("环保科技", "生态保护和环境治理业", 3), ("房地产开发", "房地产业", 2),
    ("教育咨询", "教育", 3), ("投资管理", "资本市场服务", 3), ("机械制造", "通用设备制造业", 3),
)
SHOP_KINDS = ("小吃店", "便利店", "服装店", "五金店", "理发店", "水果店", "面馆", "茶叶店")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN_CHARS = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰文斌辉丹萍鹏宇浩然子轩梓涵欣怡俊杰雨婷晨阳思远嘉怡一鸣佳琪海燕"
STREETS = ("文三路", "天目山路", "延安路", "解放路", "江南大道", "滨盛路", "湖墅南路", "莫干山路",
           "秋涛路", "凯旋路", "体育场路", "环城北路", "文一西路", "良渚路", "临平大道", "金城路",
           "迎宾路", "富春路", "新安江路", "钱江路")
ROLES = ("执行董事", "总经理", "监事", "董事", "财务负责人")
RELATIVES = ("配偶", "子女", "兄弟姐妹", "父母")

# The municipal departments the plan names, and those the lists come from. code suffix → the
# department's organisation code body (its USCC is built from it), decision-number prefix.
DEPARTMENTS = (
    ("市发改委", "杭州市发展和改革委员会", "00248212", "杭发改"),
    ("市市场监管局", "杭州市市场监督管理局", "00248217", "杭市监"),
    ("市财政局", "杭州市财政局", "00248220", "杭财"),
    ("市房管局", "杭州市房产管理局", "00248233", "杭房"),
    ("市安监局", "杭州市安全生产监督管理局", "00248241", "杭安监"),
    ("市科委", "杭州市科学技术委员会", "00248258", "杭科"),
    ("市园文局", "杭州市园林文物局", "00248266", "杭园文"),
    ("市人社局", "杭州市人力资源和社会保障局", "00248274", "杭人社"),
    ("市民政局", "杭州市民政局", "00248282", "杭民"),
    ("市税务局", "国家税务总局杭州市税务局", "00248299", "杭税"),
    ("市公安局", "杭州市公安局", "00248303", "杭公"),
    ("市消防支队", "杭州市消防救援支队", "00248311", "杭消"),
    ("市中院", "杭州市中级人民法院", "00248328", "杭中法"),
    ("团市委", "共青团杭州市委员会", "00248336", "杭团"),
)
# Who issues what: penalties and licenses, and each list type.
PENALTY_DEPARTMENTS = ("市市场监管局", "市安监局", "市房管局", "市人社局", "市税务局", "市消防支队")
LICENSE_DEPARTMENTS = ("市市场监管局", "市房管局", "市科委", "市园文局", "市民政局")
BLACK_LISTS = (
    ("失信被执行人", "市中院", "有履行能力而拒不履行生效法律文书确定的义务", "最高人民法院关于公布失信被执行人名单信息的若干规定", 5),
    ("重大税收违法", "市税务局", "偷税、逃避追缴欠税", "重大税收违法失信案件信息公布办法", 2),
    ("严重违法失信企业", "市市场监管局", "提交虚假材料取得登记", "严重违法失信企业名单管理暂行办法", 2),
    ("安全生产", "市安监局", "发生较大生产安全责任事故", "安全生产领域失信行为联合惩戒备忘录", 2),
    ("消防安全", "市消防支队", "重大火灾隐患拒不整改", "消防安全领域失信行为联合惩戒办法", 1),
)
PERSON_BLACK_LISTS = (
    ("失信被执行人", "市中院", "有履行能力而拒不履行生效法律文书确定的义务", "最高人民法院关于公布失信被执行人名单信息的若干规定", 3),
    ("交通文明", "市公安局", "一年内多次严重交通违法", "杭州市交通文明信用管理办法", 2),
)
RED_LISTS = (
    ("守合同重信用", "市市场监管局", "连续两年守合同重信用", "浙江省守合同重信用企业公示办法", 3),
    ("纳税信用A级", "市税务局", "纳税信用评价A级", "纳税信用管理办法", 3),
    ("诚信示范企业", "市发改委", "诚信建设示范", "杭州市诚信示范企业评选办法", 1),
)
PERSON_RED_LISTS = (
    ("青年信用", "团市委", "青年信用体系建设优秀个人", "杭州市青年信用体系建设实施方案", 1),
)
VIOLATIONS = ("产品质量", "价格违法", "虚假宣传", "无照经营", "安全生产", "食品安全", "消防安全",
              "劳动保障", "税收违法", "合同违法")
PENALTY_KINDS = (("警告", "警告", 0.0), ("罚款", "罚款{amount}万元", 1.0),
                 ("没收违法所得", "没收违法所得并处罚款{amount}万元", 2.0),
                 ("责令停产停业", "责令停产停业", 0.0), ("吊销许可证件", "吊销许可证件", 0.0))
LICENSES = (("食品经营许可证", "食品经营"), ("建筑施工许可证", "建筑施工"),
            ("道路运输经营许可证", "道路运输"), ("危险化学品经营许可证", "危险化学品经营"),
            ("医疗器械经营许可证", "医疗器械经营"))
COMMITMENT_MATTERS = ("安全生产", "产品质量", "食品安全", "消防安全", "按期纳税", "合同履约")

# -- foreign-invested Hangzhou: overseas investors and non-mainland persons -------------------

# Where overseas investors in Hangzhou firms are registered: ISO code, how registries write the
# country (the loader takes codes and Chinese names alike), weight, name style, register number.
OVERSEAS_COUNTRIES = (
    ("HK", ("中国香港", "HK", "香港"), 44, "hk", "hk_cr"),
    ("VG", ("英属维尔京群岛", "VG", "BVI"), 12, "offshore", "bvi"),
    ("SG", ("新加坡", "SG", "SGP"), 8, "sg", "sg_uen"),
    ("TW", ("中国台湾", "TW"), 8, "tw", "tw_ban"),
    ("US", ("美国", "US", "USA"), 7, "us", "us_file"),
    ("JP", ("日本", "JP"), 6, "jp", "jp_corp"),
    ("KR", ("韩国", "KR"), 5, "kr", "kr_corp"),
    ("KY", ("开曼群岛", "KY"), 4, "offshore", "ky"),
    ("GB", ("英国", "GB"), 2, "gb", "gb_crn"),
    ("DE", ("德国", "DE"), 2, "de", "de_hrb"),
    ("MO", ("中国澳门", "MO"), 2, "mo", "mo_so"),
)
# English name words with the characters a Chinese name would use for them.
EN_WORDS = (("Bright", "明"), ("Crown", "冠"), ("Jade", "翠"), ("Orient", "东方"),
            ("Summit", "峰"), ("Silver", "银"), ("Lotus", "莲"), ("Phoenix", "凤凰"),
            ("Star", "星"), ("Ocean", "海"), ("Harvest", "丰"), ("Fortune", "福"),
            ("Unity", "和"), ("Harbour", "港"), ("Golden", "金"), ("Pacific", "太平"),
            ("Evergreen", "长青"), ("Kingsway", "景汇"), ("Lucky", "吉"), ("Noble", "贵"))
EN_SUFFIXES = {
    "hk": (("Holdings Limited", "控股有限公司"), ("Investment Limited", "投资有限公司"),
           ("Trading Company Limited", "贸易有限公司"), ("International Limited", "国际有限公司"),
           ("Technology Limited", "科技有限公司")),
    "offshore": (("Holdings Ltd.", "控股有限公司"), ("Investments Ltd.", "投资有限公司"),
                 ("Capital Ltd.", "资本有限公司"), ("Group Ltd.", "集团有限公司")),
    "sg": (("Pte. Ltd.", "私人有限公司"), ("Holdings Pte. Ltd.", "控股私人有限公司"),
           ("Investments Pte. Ltd.", "投资私人有限公司")),
    "us": (("Inc.", "公司"), ("LLC", "有限责任公司"), ("Corporation", "公司"),
           ("Holdings, Inc.", "控股公司")),
    "gb": (("Limited", "有限公司"), ("Holdings Limited", "控股有限公司"), ("PLC", "股份有限公司")),
    "de": (("GmbH", "有限责任公司"), ("Holding GmbH", "控股有限责任公司"), ("AG", "股份公司")),
}
JP_WORDS = (("東洋", "东洋"), ("日進", "日进"), ("大和", "大和"), ("富士見", "富士见"),
            ("北辰", "北辰"), ("丸山", "丸山"), ("朝日", "朝日"), ("光和", "光和"), ("三栄", "三荣"),
            ("昭和", "昭和"))
JP_KINDS = (("商事", "商事"), ("精機", "精机"), ("電子", "电子"), ("化学工業", "化学工业"),
            ("物産", "物产"), ("製作所", "制作所"))
KR_WORDS = (("한빛", "韩光"), ("대성", "大成"), ("세진", "世进"), ("동양", "东洋"), ("미래", "未来"),
            ("신성", "新星"), ("우진", "宇进"), ("태광", "泰光"))
KR_KINDS = (("전자", "电子"), ("산업", "产业"), ("무역", "贸易"), ("화학", "化学"), ("정밀", "精密"))
TW_WORDS = (("鼎碩", "鼎硕"), ("聯昇", "联升"), ("冠豐", "冠丰"), ("台興", "台兴"), ("榮鑫", "荣鑫"),
            ("晟輝", "晟辉"), ("瑞昇", "瑞升"), ("正億", "正亿"))
TW_KINDS = (("科技股份有限公司", "科技股份有限公司"), ("實業股份有限公司", "实业股份有限公司"),
            ("精密工業股份有限公司", "精密工业股份有限公司"), ("國際貿易有限公司", "国际贸易有限公司"),
            ("電子股份有限公司", "电子股份有限公司"))
MO_WORDS = ("澳聯", "濠江", "南灣", "氹仔", "路環", "葡京")
MO_KINDS = ("貿易有限公司", "投資有限公司", "實業有限公司")

# Persons from outside the mainland: names in their own script.
LATIN_GIVEN = ("James", "Michael", "David", "Robert", "Sarah", "Emily", "Jennifer", "Daniel",
               "Thomas", "Laura", "Peter", "Anna")
LATIN_SURNAMES = {
    "US": ("Smith", "Johnson", "Miller", "Wilson", "Anderson", "Clark"),
    "GB": ("Brown", "Taylor", "Walker", "Harris", "Wright", "Evans"),
    "AU": ("Martin", "Thompson", "White", "Kelly", "Ryan", "Campbell"),
    "CA": ("Tremblay", "Roy", "Gagnon", "Scott", "Morrison", "Reid"),
    "DE": ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Becker"),
    "FR": ("Martin", "Bernard", "Dubois", "Moreau", "Laurent", "Lefèvre"),
}
JP_SURNAMES = ("佐藤", "鈴木", "高橋", "田中", "渡辺", "伊藤", "山本", "中村")
JP_GIVEN = ("健太", "翔", "大輔", "陽子", "美咲", "直樹", "拓也", "由美")
KR_SURNAMES = ("김", "이", "박", "최", "정", "강", "조", "윤")
KR_GIVEN = ("민준", "서연", "지훈", "수빈", "현우", "지민", "예준", "하은")
SEA_SURNAMES = ("Tan", "Lim", "Lee", "Ng", "Wong", "Goh", "Chua", "Ong")
SEA_GIVEN = ("Wei Ming", "Mei Ling", "Jun Jie", "Hui Min", "Kok Leong", "Siew Lan")
TRAD_SURNAMES = "陳林黃張李王吳劉蔡楊何鄭許謝郭"
TRAD_GIVEN = ("志明", "家豪", "美玲", "俊傑", "淑芬", "建宏", "嘉欣", "偉倫", "雅婷", "冠宇")
# Passport holders: nationality, weight, how the 国籍 column writes it.
PASSPORT_COUNTRIES = (("US", 20, ("US", "美国", "USA")), ("JP", 15, ("JP", "日本")),
                      ("KR", 15, ("KR", "韩国", "KOR")), ("SG", 10, ("SG", "新加坡")),
                      ("GB", 8, ("GB", "英国")), ("DE", 8, ("DE", "德国")),
                      ("MY", 7, ("MY", "马来西亚")), ("AU", 6, ("AU", "澳大利亚")),
                      ("CA", 6, ("CA", "加拿大")), ("FR", 5, ("FR", "法国")))
# 外国人永久居留身份证 holders: nationality and its ISO 3166 numeric code.
PERMANENT_NATIONALITIES = (("US", "840"), ("DE", "276"), ("GB", "826"), ("JP", "392"),
                           ("KR", "410"), ("SG", "702"), ("AU", "036"), ("CA", "124"),
                           ("FR", "250"))
# Nationalities as registries mistype them: no ISO 3166 country.
BAD_NATIONALITIES = ("苏联", "英格兰", "U.S.A.", "西德")
