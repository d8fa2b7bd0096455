"""Words and sentence patterns of the alliance's news, in Simplified Chinese and English.

The generator fills the patterns' slots ({org}, {topic} ...) with pairs from the lists below,
so every generated text exists in both languages and reads like the alliance's own articles.
"""

# (zh-hans, en, founded) for the district offices, in the order the alliance opened them.
OFFICES = [
    ("苏州工业园区", "Suzhou Industrial Park", "2019-04-18"),
    ("苏州高新区", "Suzhou New District", "2019-06-21"),
    ("姑苏区", "Gusu District", "2019-09-12"),
    ("相城区", "Xiangcheng District", "2019-12-05"),
    ("吴江区", "Wujiang District", "2020-03-26"),
    ("常熟市", "Changshu", "2020-05-29"),
    ("张家港市", "Zhangjiagang", "2020-08-14"),
    ("吴中区", "Wuzhong District", "2020-11-20"),
    ("昆山市", "Kunshan", "2021-03-19"),
    ("太仓市", "Taicang", "2021-06-25"),
    ("浒墅关经济技术开发区", "Xushuguan Economic Development Zone", "2022-04-22"),
    ("昆山开发区", "Kunshan Development Zone", "2023-05-12"),
]
VENUES = [
    ("苏州智能制造研究院", "Suzhou Institute of Intelligent Manufacturing"),
    ("苏州国际博览中心", "Suzhou International Expo Centre"),
    ("金鸡湖国际会议中心", "Jinji Lake International Conference Centre"),
    ("苏州工业互联网创新中心", "Suzhou Industrial Internet Innovation Centre"),
    ("区政务服务中心会议室", "the district government service centre"),
]

CATEGORIES = [
    ("industry-news", "行业动态", "Industry News"),
    ("alliance-news", "联盟动态", "Alliance News"),
    ("notices", "通知公告", "Notices"),
    ("policy", "政策法规", "Policies and Regulations"),
]

# Organisation names: 苏州 + brand + field + form, e.g. 苏州恒创智能装备有限公司.
BRANDS = [
    "恒创",
    "博远",
    "精工",
    "华纳",
    "瑞通",
    "天成",
    "汇智",
    "科达",
    "中科",
    "云帆",
    "德润",
    "永信",
    "昊天",
    "明阳",
    "和光",
    "凯达",
    "金桥",
    "信达",
    "东吴",
    "太湖",
    "姑苏",
    "金鸡",
    "阳澄",
    "运河",
    "沧浪",
    "虎丘",
    "寒山",
    "枫桥",
    "平江",
    "木渎",
    "甪直",
    "同里",
    "震泽",
    "盛泽",
    "黎里",
    "千灯",
    "周庄",
    "锦溪",
    "华兴",
    "宏图",
    "新思",
    "睿联",
    "启明",
    "海创",
    "星辰",
    "智源",
    "卓越",
    "联创",
    "汇川",
    "浪潮",
    "亨通",
    "长城",
    "国芯",
    "晶方",
    "捷诚",
    "兆元",
    "鼎盛",
    "正和",
    "丰源",
    "嘉瑞",
    "普天",
    "通达",
    "安泰",
    "宝丰",
    "聚力",
    "泓远",
    "欣和",
    "越洋",
    "润达",
    "佳禾",
    "弘毅",
    "科林",
    "立德",
]
FIELDS = [
    ("智能装备", "Intelligent Equipment"),
    ("信息技术", "Information Technology"),
    ("精密机械", "Precision Machinery"),
    ("电子科技", "Electronics"),
    ("新材料", "New Materials"),
    ("工业软件", "Industrial Software"),
    ("自动化", "Automation"),
    ("物联网科技", "IoT Technology"),
    ("数据科技", "Data Technology"),
    ("纺织科技", "Textile Technology"),
    ("生物医药", "Biopharmaceutical"),
    ("新能源科技", "New Energy Technology"),
    ("汽车零部件", "Auto Parts"),
    ("云计算", "Cloud Computing"),
    ("网络科技", "Network Technology"),
    ("机器人", "Robotics"),
    ("光电", "Optoelectronics"),
    ("环保科技", "Environmental Technology"),
]
FORMS = [
    ("有限公司", "Co., Ltd.", "enterprise"),
    ("股份有限公司", "Corporation", "enterprise"),
    ("科技有限公司", "Technology Co., Ltd.", "enterprise"),
    ("集团有限公司", "Group Co., Ltd.", "enterprise"),
    ("研究院", "Research Institute", "research_institute"),
    ("创新中心", "Innovation Centre", "research_institute"),
    ("行业协会", "Industry Association", "association"),
]
OPERATORS = [
    ("中国移动通信集团江苏有限公司苏州分公司", "China Mobile Suzhou Branch", "移动"),
    ("中国电信股份有限公司苏州分公司", "China Telecom Suzhou Branch", "电信"),
    ("中国联合网络通信有限公司苏州市分公司", "China Unicom Suzhou Branch", "联通"),
]
UNIVERSITIES = [
    ("苏州大学", "Soochow University"),
    ("苏州科技大学", "Suzhou University of Science and Technology"),
    ("西交利物浦大学", "Xi'an Jiaotong-Liverpool University"),
    ("常熟理工学院", "Changshu Institute of Technology"),
    ("苏州市职业大学", "Suzhou Vocational University"),
]
DESCRIPTIONS = [
    (
        "专注于{field}领域的研发、生产和服务，是苏州市工业互联网产业联盟会员单位。",
        "Develops, makes and services {field_en} products; a member of the Suzhou Industrial Internet "
        "Industry Alliance.",
    ),
    (
        "致力于以工业互联网技术推动{field}行业的数字化转型，服务长三角地区制造企业。",
        "Uses industrial internet technology to drive the digital transformation of {field_en}, serving "
        "manufacturers across the Yangtze River Delta.",
    ),
    (
        "国家高新技术企业，拥有{field}相关专利百余项，建有省级企业技术中心。",
        "A national high-tech enterprise with over a hundred {field_en} patents and a provincial enterprise "
        "technology centre.",
    ),
]
STREETS = [
    ("星湖街", "Xinghu Street"),
    ("金鸡湖大道", "Jinjihu Avenue"),
    ("长江路", "Changjiang Road"),
    ("干将西路", "Ganjiang West Road"),
    ("人民路", "Renmin Road"),
    ("东吴北路", "Dongwu North Road"),
    ("太湖大道", "Taihu Avenue"),
    ("中山北路", "Zhongshan North Road"),
]

FAMILY_NAMES = [
    "王",
    "李",
    "张",
    "刘",
    "陈",
    "杨",
    "黄",
    "赵",
    "吴",
    "周",
    "徐",
    "孙",
    "马",
    "朱",
    "胡",
    "郭",
    "何",
    "高",
    "林",
    "罗",
    "郑",
    "梁",
    "谢",
    "宋",
    "唐",
    "许",
    "韩",
    "冯",
    "邓",
    "曹",
    "彭",
    "潘",
    "顾",
    "沈",
]
GIVEN_NAMES = [
    "建国",
    "志强",
    "海燕",
    "明",
    "伟",
    "静",
    "磊",
    "丽华",
    "晓东",
    "建华",
    "红梅",
    "国平",
    "晓虎",
    "华谦",
    "洪建",
    "泰伟",
    "俊杰",
    "文博",
    "雪梅",
    "志刚",
    "振华",
    "玉兰",
    "秀英",
    "立新",
    "卫东",
    "春生",
    "慧敏",
    "子涵",
    "思远",
    "嘉怡",
    "一鸣",
    "浩然",
    "佳琪",
    "宇航",
    "晨曦",
]
JOB_TITLES = [
    ("总经理", "General Manager"),
    ("董事长", "Chairman"),
    ("副总经理", "Deputy General Manager"),
    ("技术总监", "Chief Technology Officer"),
    ("院长", "Dean"),
    ("信息化部部长", "Head of Information Technology"),
    ("总工程师", "Chief Engineer"),
]

COMMITTEES = [
    ("5G专委会", "5G Special Committee", "5G与工业互联网融合应用", "5G in industrial internet applications"),
    (
        "智能制造专委会",
        "Smart Manufacturing Committee",
        "智能工厂与数字化车间建设",
        "smart factories and digital workshops",
    ),
    ("工业安全专委会", "Industrial Security Committee", "工业互联网安全防护", "industrial internet security"),
    ("标识解析专委会", "Identifier Resolution Committee", "标识解析二级节点建设与应用", "identifier resolution nodes"),
    ("人才培养专委会", "Talent Development Committee", "工业互联网人才培训与认证", "training and certification"),
]

TOPICS = [
    ("5G+工业互联网", "5G and the industrial internet"),
    ("数字化转型", "digital transformation"),
    ("智能制造", "smart manufacturing"),
    ("工业大数据", "industrial big data"),
    ("标识解析", "identifier resolution"),
    ("工业软件", "industrial software"),
    ("数字孪生", "digital twins"),
    ("边缘计算", "edge computing"),
    ("工业互联网安全", "industrial internet security"),
    ("企业上云", "moving enterprises to the cloud"),
    ("人工智能", "artificial intelligence"),
    ("智改数转", "intelligent and digital upgrading"),
]
LISTS = [
    ("工业互联网试点示范项目", "industrial internet pilot demonstration projects"),
    ("智能制造示范工厂", "smart manufacturing demonstration factories"),
    ("专精特新“小巨人”企业", "specialised “little giant” enterprises"),
    ("工业互联网平台创新领航应用案例", "leading industrial internet platform applications"),
    ("江苏省星级上云企业", "Jiangsu starred cloud enterprises"),
    ("5G工厂名录", "5G factory directory"),
    ("智能制造优秀场景", "outstanding smart manufacturing scenarios"),
]
PROGRAMS = [
    ("工业互联网标杆工厂", "industrial internet benchmark factories"),
    ("智能化改造数字化转型项目", "intelligent and digital transformation projects"),
    ("工业互联网专项资金", "industrial internet special funds"),
    ("数字化车间和智能工厂", "digital workshops and smart factories"),
    ("工业互联网平台培育", "industrial internet platform development"),
]
EVENTS = [
    ("大会", "conference"),
    ("创新大赛", "innovation competition"),
    ("高峰论坛", "summit forum"),
    ("供需对接会", "supply and demand matchmaking"),
    ("成果发布会", "results launch"),
]
INDUSTRIES = [
    ("纺织", "textiles"),
    ("装备制造", "equipment manufacturing"),
    ("电子信息", "electronics"),
    ("生物医药", "biomedicine"),
    ("新能源", "new energy"),
    ("汽车零部件", "auto parts"),
    ("精密机械", "precision machinery"),
    ("新材料", "new materials"),
]
THINGS = [
    ("智能工厂", "a smart factory"),
    ("工业互联网平台", "an industrial internet platform"),
    ("数字化车间", "a digital workshop"),
    ("5G专网", "a private 5G network"),
    ("灯塔工厂", "a lighthouse factory"),
]
POLICIES = [
    ("《苏州市工业互联网创新发展三年行动计划》", "Suzhou's three-year action plan for industrial internet innovation"),
    ("《苏州市工业互联网区域考评指标体系》", "Suzhou's regional industrial internet evaluation index system"),
    (
        "《关于推进制造业智能化改造和数字化转型的若干措施》",
        "the measures on intelligent and digital transformation of manufacturing",
    ),
    ("《江苏省工业互联网发展行动计划》", "Jiangsu's industrial internet development action plan"),
]
SOURCES = [
    ("苏州市工业互联网产业联盟", "Suzhou Industrial Internet Industry Alliance"),
    ("苏州市工业和信息化局", "Suzhou Bureau of Industry and Information Technology"),
    ("联盟秘书处", "Alliance Secretariat"),
]
AUTHORS = ["联盟秘书处", "宣传部", "", "", ""]

# Titles: (zh-hans, en) patterns; a category slug each.
TITLES = [
    ("alliance-news", "{office}召开{year}年度工作会议", "{office_en} holds its {year} annual meeting"),
    ("alliance-news", "联盟走访调研{org}", "Alliance visits {org_en}"),
    ("alliance-news", "{office}举办{topic}专题培训会", "{office_en} holds a training session on {topic_en}"),
    (
        "alliance-news",
        "{year}苏州工业互联网{event}在{venue}举行",
        "{year} Suzhou industrial internet {event_en} held at {venue_en}",
    ),
    (
        "alliance-news",
        "{org}与{org2}签署{topic}战略合作协议",
        "{org_en} and {org2_en} sign a {topic_en} cooperation agreement",
    ),
    ("industry-news", "{org}入选{year}年{list}", "{org_en} selected among the {year} {list_en}"),
    (
        "industry-news",
        "{topic}赋能{industry}：{org}打造{thing}",
        "{topic_en} for {industry_en}: {org_en} builds {thing_en}",
    ),
    (
        "industry-news",
        "工信部公布{year}年{list}名单，苏州{n}家企业入选",
        "MIIT publishes the {year} {list_en}: {n} Suzhou companies listed",
    ),
    ("industry-news", "{district}{n}个项目获评{list}", "{n} projects in {district_en} named among the {list_en}"),
    ("notices", "关于开展{year}年{program}申报工作的通知", "Notice: applications for the {year} {program_en}"),
    ("notices", "关于举办{topic}{event}的通知", "Notice: {topic_en} {event_en}"),
    ("notices", "关于征集{year}年{list}的通知", "Notice: call for the {year} {list_en}"),
    ("policy", "解读｜{policy}", "Explainer: {policy_en}"),
    ("policy", "{policy}正式印发", "{policy_en} published"),
]

# Body paragraphs. Leads open an article; the others follow in any order.
LEADS = [
    (
        "{month}月{day}日上午，“工业互联·智造{district_short}”{office}{topic}推进会在{venue}顺利举行。会上，"
        "苏州市工业和信息化局相关负责人发布了{policy}，{org}等{n}家会员单位代表参加会议，围绕{topic}在"
        "{industry}行业的落地应用展开深入交流，现场气氛热烈。",
        "On the morning of {month}/{day}, the {office_en} meeting on {topic_en} was held at {venue_en}. The "
        "Suzhou Bureau of Industry and Information Technology presented {policy_en}, and representatives of "
        "{n} member organisations, {org_en} among them, discussed {topic_en} in {industry_en}.",
    ),
    (
        "近日，{org}成功入选{year}年{list}。这是继去年获评省级示范之后，该企业在{topic}领域取得的又一项"
        "重要成果。据了解，本次全市共有{n}家企业入选，数量位居全省前列，{district}企业表现尤为突出。",
        "{org_en} has been selected among the {year} {list_en}, its second distinction in {topic_en} after a "
        "provincial award last year. {n} companies in the city were selected this time, among the most in "
        "the province, with companies from {district_en} standing out.",
    ),
    (
        "为深入贯彻落实{policy}，进一步推动全市{industry}企业{topic}，{month}月{day}日，苏州市工业互联网产业"
        "联盟联合{office}在{venue}举办专题活动，来自{district}的{n}余家企业参加活动，共同探讨转型路径。",
        "To implement {policy_en} and advance {topic_en} among the city's {industry_en} companies, the alliance "
        "and the {office_en} held a dedicated event at {venue_en} on {month}/{day}. More than {n} companies from "
        "{district_en} took part and discussed how to make the change.",
    ),
    (
        "{month}月{day}日，苏州市工业互联网产业联盟组织专家团队走进{org}，实地调研企业{topic}建设情况。"
        "调研组先后参观了企业生产车间、数据中心和展示中心，详细了解企业在{thing}方面的探索与实践。",
        "On {month}/{day}, an expert team of the alliance visited {org_en} to see its work on {topic_en}. The "
        "team toured the production floor, the data centre and the showroom, and learned how the company is "
        "building {thing_en}.",
    ),
]
PARAGRAPHS = [
    (
        "{org}负责人介绍，企业自{year}年启动{topic}以来，累计投入资金超过{n}千万元，建成覆盖研发、生产、"
        "仓储和销售全流程的数据采集体系，生产效率提升百分之{pct}，产品不良率下降百分之{pct2}，"
        "运营成本显著降低。",
        "The head of {org_en} said that since starting {topic_en} in {year}, the company has invested more than "
        "{n}0 million yuan in data collection across research, production, warehousing and sales, raising "
        "productivity by {pct}% and cutting defects by {pct2}%.",
    ),
    (
        "与会专家指出，{topic}是制造业高质量发展的必由之路。中小企业要立足自身实际，坚持“小切口、快见效”，"
        "从设备联网、数据上云等基础环节入手，逐步推进生产管理的数字化、网络化和智能化。",
        "Experts at the meeting said {topic_en} is the way to high-quality manufacturing. Small companies should "
        "start small and see results quickly, connecting machines and moving data to the cloud before "
        "digitising and automating production management step by step.",
    ),
    (
        "据统计，截至目前，{district}已累计培育省级以上工业互联网平台{n}个，建成5G基站{n2}百余座，"
        "规模以上工业企业数字化转型覆盖率超过百分之{pct}，工业互联网发展水平位居全市前列。",
        "{district_en} has so far developed {n} industrial internet platforms at provincial level or above and "
        "built over {n2}00 5G base stations; more than {pct}% of its larger industrial companies have begun "
        "their digital transformation.",
    ),
    (
        "下一步，{office}将充分发挥联盟作为政府、市场与社会之间桥梁的作用，围绕{industry}产业链开展政策宣贯、"
        "技术创新、人才培养等重点工作，助力区域工业互联网产业的交流合作与发展应用。",
        "Next, the {office_en} will act as the alliance's bridge between government, market and society, "
        "working on policy outreach, innovation and training along the {industry_en} supply chain.",
    ),
    (
        "活动现场，{org}、{org2}等企业代表分别作了主题分享，结合自身在{thing}建设中的实践经验，介绍了"
        "{topic}在降本增效、质量管控和安全生产等方面的典型应用场景，引发与会代表的热烈讨论。",
        "Speakers from {org_en} and {org2_en} shared their experience of building {thing_en} and showed how "
        "{topic_en} cuts costs, improves quality control and makes production safer, which led to a lively "
        "discussion.",
    ),
    (
        "申报对象为在苏州市内依法注册、具有独立法人资格的工业企业和工业互联网服务商。申报项目应具有较强的"
        "示范带动作用，项目总投资原则上不低于{n}百万元，且在{year}年1月1日以后开工建设。",
        "Applicants must be industrial companies or industrial internet service providers registered in Suzhou "
        "as legal entities. Projects should set an example for others, invest at least {n} million yuan, and "
        "have started after 1 January {year}.",
    ),
    (
        "请各有关单位于{month}月{day}日前将申报材料纸质版一式三份报送至联盟秘书处，电子版同步发送至联盟"
        "邮箱。逾期未报送的视为自动放弃。联系电话：0512-6{n}{n2}{pct}。",
        "Please send three printed copies of the application to the alliance secretariat by {month}/{day}, "
        "and an electronic copy by email. Late applications will not be accepted. Telephone: 0512-6{n}{n2}{pct}.",
    ),
    (
        "{policy}明确提出，到{year}年，全市重点工业企业关键工序数控化率达到百分之{pct}，工业互联网平台"
        "普及率达到百分之{pct2}，打造一批具有国际影响力的{thing}和工业互联网标杆企业。",
        "{policy_en} sets targets for {year}: {pct}% of key processes in major industrial companies under "
        "numerical control, {pct2}% using industrial internet platforms, and a number of internationally "
        "known benchmark companies.",
    ),
    (
        "会议强调，各会员单位要进一步加强协同合作，发挥各自在网络、平台、安全和应用方面的优势，"
        "共同推动{topic}从“试点示范”走向“规模推广”，为苏州打造“工业互联网第一城”贡献力量。",
        "The meeting called on members to work more closely together, each contributing its strengths in "
        "networks, platforms, security and applications, to take {topic_en} from pilots to wide adoption.",
    ),
    (
        "在{thing}中，{org}部署了数百个传感器和边缘网关，实时采集设备运行、能耗和质量数据，"
        "通过工业互联网平台进行统一分析。设备综合效率提升百分之{pct}，年节约能源费用约{n}百万元。",
        "In {thing_en}, {org_en} installed hundreds of sensors and edge gateways that collect machine, energy "
        "and quality data in real time for analysis on an industrial internet platform, raising overall "
        "equipment effectiveness by {pct}% and saving about {n} million yuan of energy a year.",
    ),
    (
        "据悉，本届{event}共吸引来自长三角地区的{n}百余个项目报名参赛，涵盖{industry}、{topic}等多个领域，"
        "经过初赛、复赛和决赛的层层选拔，最终评选出一等奖{n2}项、二等奖{pct}项。",
        "More than {n}00 projects from the Yangtze River Delta entered this {event_en}, covering {industry_en}, "
        "{topic_en} and other fields; after three rounds, {n2} first prizes and {pct} second prizes were "
        "awarded.",
    ),
    (
        "{org}相关负责人表示，公司将以此次入选为契机，持续加大研发投入，深化{topic}与生产经营的融合，"
        "并积极向产业链上下游企业输出经验和解决方案，带动更多中小企业实现转型升级。",
        "A manager at {org_en} said the company will use the recognition to invest more in research, bring "
        "{topic_en} deeper into its operations, and share its solutions with suppliers and customers so that "
        "more small companies can follow.",
    ),
    (
        "苏州市工业和信息化局相关负责人在致辞中肯定了联盟成立以来开展的系列工作，并对{office}提出"
        "“明确定位、完善机制、做好服务”三点希望，希望办事处成为连接政府与企业的重要纽带。",
        "In his address, an official of the Suzhou Bureau of Industry and Information Technology praised the "
        "alliance's work and asked the {office_en} to be clear about its role, build sound procedures and serve "
        "companies well, linking government and industry.",
    ),
    (
        "培训邀请了来自高校、科研院所和龙头企业的{n}位专家授课，内容涵盖{topic}政策解读、平台选型、"
        "数据治理和网络安全等方面，并组织学员赴{org}现场观摩，取得了良好效果。",
        "{n} experts from universities, research institutes and leading companies taught the course, covering "
        "{topic_en} policy, choosing a platform, data governance and cybersecurity, with a site visit to "
        "{org_en}.",
    ),
    (
        "根据评审结果，{district}共有{n}家企业通过认定，其中{org}的“{topic}+{industry}”项目获得专家组"
        "一致好评。认定结果将在联盟网站公示五个工作日，公示期间如有异议，请以书面形式向秘书处反映。",
        "{n} companies in {district_en} passed the review; the {topic_en} project of {org_en} in {industry_en} "
        "was praised unanimously by the panel. The results are published on the alliance website for five "
        "working days; objections may be sent to the secretariat in writing.",
    ),
    (
        "面向未来，联盟将继续聚焦{topic}、{thing}等重点方向，加快构建具有苏州特色的工业互联网平台体系，"
        "支持会员单位建设跨行业、跨领域的综合型平台，不断提升产业链供应链的韧性和安全水平。",
        "Looking ahead, the alliance will keep its focus on {topic_en} and {thing_en}, build a platform "
        "ecosystem suited to Suzhou, and support members in building cross-industry platforms that make supply "
        "chains more resilient and secure.",
    ),
]
CAPTIONS = [
    ("会议现场", "At the meeting"),
    ("揭牌仪式", "The unveiling ceremony"),
    ("与会嘉宾合影", "Guests at the event"),
    ("专家参观智能生产线", "Experts visiting a smart production line"),
    ("企业代表作主题分享", "A company representative speaking"),
    ("培训现场", "The training session"),
]
ATTACHMENT_TITLES = [
    ("申报指南", "Application guide"),
    ("申报书模板", "Application form"),
    ("评审结果公示名单", "List of results"),
    ("考评指标体系", "Evaluation index system"),
]
