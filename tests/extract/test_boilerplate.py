import pytest

from crawler.extract.boilerplate import join_broken_lines, strip_boilerplate
from extract_fixtures import seed_text

# seed: (first real paragraph, last real paragraph, lines that must not survive)
SEEDS = {
    0: (
        "现将《沈阳市促进健康服务业发展三年行动计划》印发给你们,请结合实际认真贯彻执行。",
        "2.发展多样化保险服务。建立保险公司与医疗、护理机构合作机制",
        ["来源:税屋", "摘要:", "本文章更多内容", "版权声明", "出于传递更多信息之目的", "排行", "税屋网 | 关于我们",
         "主办单位", "运行维护", "地址:杭州市", "公网安备", "服务号", "综合订阅号", "建安地产号"],
    ),
    1: (
        "为贯彻落实《国务院办公厅关于支持社会力量提供多层次多样化医疗服务的意见》",
        "(七)实施大健康产业发展行动计划。",
        ["合集下载", "下载文档前请自行甄别", "仅部分预览", "如文档侵犯您的权益", "相关文档", "最新文档"],
    ),
    2: (
        "《保山市大健康产业发展工作实施方案》已经市人民政府同意",
        "19.市场退出机制。",
        ["索引号 |", "公开目录 |", "文号 |"],
    ),
    3: (
        "现将《“健康沈阳2030”行动规划》印发给你们",
        "各地区、各部门要将本行动规划落实到工作发展规划中",
        ["}", "欢迎来到", "本港台直播", "我要回帖", "更多关于", "更多推荐", "版权声明", "点击添加站长微信"],
    ),
    4: (
        "根据《XX省人民政府办公厅关于印发XX省推进健康养老产业转型发展方案若干政策和产业布局规划的通知》",
        "开展健康养老产业转型发展和政策落实情况跟踪分析、监督检查,并将实施情况及时通报全市。",
        [".docx", "上传人", "下载 相关 举报", "第1页 / 共7页", "点击查看更多", "下载资源", "资源描述", "由会员分享",
         "实施方案XX山市", "展开阅读全文", "相关资源", "猜你喜欢", "相关搜索", "资源标签", "当前位置", "copyright",
         "ICP备"],
    ),
}


@pytest.mark.parametrize("n", sorted(SEEDS))
def test_seed_keeps_the_notice_and_drops_the_rest(n):
    first, last, junk = SEEDS[n]
    lines = join_broken_lines(strip_boilerplate(seed_text(n))).splitlines()
    body = [i for i, line in enumerate(lines) if line.startswith(first)]
    assert body, f"first paragraph lost: {first}"
    assert lines[-1].startswith(last), lines[-1]
    for fragment in junk:
        assert not any(fragment in line for line in lines), fragment


@pytest.mark.parametrize("n", sorted(SEEDS))
def test_seed_body_is_intact(n):
    """Every line of the notice body between its first and last paragraph survives."""
    first, last, _ = SEEDS[n]
    raw = [line.strip() for line in seed_text(n).splitlines() if line.strip()]
    i = next(k for k, line in enumerate(raw) if line.startswith(first))
    j = max(k for k, line in enumerate(raw) if line.startswith(last))
    kept = strip_boilerplate(seed_text(n)).splitlines()
    assert [line for line in raw[i : j + 1] if line not in kept] == []


NOTICE_TOP = "江城市卫生健康委员会关于举办老年健康服务培训班的通知\n各区县卫生健康局，委直属各单位：\n为提升老年健康服务能力，决定举办培训班，现将有关事项通知如下。"
NOTICE_END = "江城市卫生健康委员会\n2023年4月1日"


@pytest.mark.parametrize(
    "line, dropped",
    [
        # furniture
        ("版权声明：本站所有内容均来源于网络，如有侵权请联系删除。", True),
        ("Copyright © 2008-2023 江城市人民政府 版权所有", True),
        ("主办单位：江城市人民政府办公室 网站标识码：3209000001 苏ICP备05004413号", True),
        ("苏公网安备 32010202000101号", True),
        ("本文章更多内容:1-2-下一页>>", True),
        ("1-2-3-下一页", True),
        ("上一页 1 2 3 下一页", True),
        ("第1页 / 共7页", True),
        ("上一篇：江城市民政局关于做好元旦春节期间有关工作的通知", True),
        ("下一篇:无", True),
        ("分享到：微信 微博 QQ空间", True),
        ("【打印本页】【关闭窗口】", True),
        ("【字体：大 中 小】", True),
        ("发布时间：2023-04-01 来源：市卫健委 浏览次数：123", True),
        ("来源:税屋 作者:税屋 人气: 时间:2015-07-12", True),
        ("摘要:为提升老年健康服务能力……", True),
        ("当前位置：首页 > 信息公开 > 通知公告", True),
        ("首页 > 政策法规 > 地方法规", True),
        ("扫一扫在手机打开当前页", True),
        ("上传人:b****8 文档编号:28257107 上传时间:2023-07-09 格式:DOCX 页数:7 大小:19.78KB", True),
        ("《养老服务实施方案.docx》由会员分享,可在线阅读,更多相关《养老服务实施方案.docx》请在冰豆网上搜索。", True),
        ("展开阅读全文", True),
        ("点击查看更多>>", True),
        ("}", True),
        # ads: a call to action with an arrow, or a bracketed brand selling something
        ("【税屋学堂】个税汇算、社保入税实务课程火热报名中，立即报名>>", True),
        ("【某某网校】2023年医保政策解读课程限时抢购中", True),
        ("新版养老机构等级评定培训课程上线，点击报名→", True),
        ("【财税课堂】点击查看最新课程", True),
        # counters and source labels standing alone, the page's own date line
        ("浏览次数：", True),
        ("点击数：1024", True),
        ("阅读量：356次", True),
        ("信息来源：省发改委", True),
        ("文章来源：江城市卫生健康委员会", True),
        ("发布日期：2016-11-22", True),
        ("发布时间：2023-04-01 10:32:05", True),
        ("■", True),
        # notice text that looks a bit like furniture
        ("【通知】关于举办2023年养老护理员职业技能培训班的通知", False),  # a category tag, no sale
        ("培训费用：免费参加。", False),
        ("请于4月10日前登录报名系统立即报名。", False),  # a sentence, no arrow
        ("五、报名方式：登录市卫健委网站点击报名", False),
        ("信息来源：各县（市、区）卫生健康局按月报送的统计报表，由市卫生健康委汇总后统一发布。", False),
        ("发布时间：2023年4月1日至4月7日为公示期", False),
        ("主办单位：江城市卫生健康委员会", False),  # a training notice names its organiser
        ("联系电话：0510-12345678", False),
        ("地址：江城市人民路1号", False),
        ("附件：培训班报名表.docx", False),
        ("1.培训班报名表.xlsx", False),
        ("报名时间：2023年4月10日至4月15日", False),
        ("江民发〔2023〕12号 发布时间：2023-04-01", False),  # a 文号 under the title, with its date
        ("请各单位于4月10日前将报名表报送至市卫生健康委老龄健康处，逾期不再受理。", False),
        ("本通知所称老年人是指60周岁以上的公民，具体标准按照国家有关规定执行。", False),
        ("药品经营许可证编号：苏AA5100001", False),
        ("对群众反映的问题，我们将及时处理并在5个工作日内答复，接受社会监督，欢迎广大群众积极参与。", False),
        ("依照上一条规定，由县级以上卫生健康主管部门责令改正。", False),
    ],
)
def test_line_in_the_middle_of_a_notice(line, dropped):
    text = f"{NOTICE_TOP}\n{line}\n一、培训对象。各区县老年健康工作负责同志，每单位1人。\n{NOTICE_END}"
    assert (line not in strip_boilerplate(text).splitlines()) is dropped


def test_list_block_heading_and_its_links_go():
    text = (
        f"{NOTICE_TOP}\n{NOTICE_END}\n相关链接\n江城市老龄工作委员会关于开展敬老月活动的通知\n"
        "江城市民政局关于做好高龄津贴发放工作的通知\n猜你喜欢\n养老服务机构等级评定办法"
    )
    assert strip_boilerplate(text) == f"{NOTICE_TOP}\n{NOTICE_END}"


def test_footer_cluster_goes_with_its_strong_line():
    text = f"{NOTICE_TOP}\n{NOTICE_END}\n江城市人民政府 | 关于我们 | 网站地图 | 联系我们\n主办：江城市人民政府办公室\n地址：江城市人民路1号\n苏ICP备05004413号"
    assert strip_boilerplate(text) == f"{NOTICE_TOP}\n{NOTICE_END}"


def test_an_event_notice_may_end_with_its_organisers():
    text = f"{NOTICE_TOP}\n主办单位：江城市卫生健康委员会\n承办单位：江城市老年医学会"
    assert strip_boilerplate(text) == text


def test_tail_cut_stops_at_a_signature_date():
    # a share bar between the last paragraph and the 落款: the 落款 stays
    text = f"{NOTICE_TOP}\n分享到：微信 微博\n{NOTICE_END}\n版权所有：江城市人民政府"
    assert strip_boilerplate(text) == f"{NOTICE_TOP}\n{NOTICE_END}"


def test_seo_tail_goes_even_with_unknown_spam_lines():
    text = f"{NOTICE_TOP}\n{NOTICE_END}\n}}\n欢迎来到某某直播在线观看!\n某某直播在线观看某市考察组来某市考察调研\n我要回帖"
    assert strip_boilerplate(text) == f"{NOTICE_TOP}\n{NOTICE_END}"


def test_extra_source_patterns():
    text = f"{NOTICE_TOP}\n【江城发布】微信公众号\n{NOTICE_END}"
    assert "【江城发布】微信公众号" in strip_boilerplate(text)
    assert "【江城发布】微信公众号" not in strip_boilerplate(text, extra=[r"^【江城发布】"])


@pytest.mark.parametrize(
    "text, expected",
    [
        # an aggregator puts "文号 + title" above the notice's own title
        ("沈政发[2015]31号 沈阳市人民政府关于印发行动计划的通知\n沈阳市人民政府关于印发行动计划的通知\n各区、县(市)人民政府:",
         "沈阳市人民政府关于印发行动计划的通知\n各区、县(市)人民政府:"),
        # a doc-sharing site prefixes the title with its category
        ("实施方案江城市推进健康养老产业发展实施方案\n江城市推进健康养老产业发展实施方案\n根据有关规定，制定本方案。",
         "江城市推进健康养老产业发展实施方案\n根据有关规定，制定本方案。"),
        # a notice's title contains its attachment's title: both stay
        ("江城市人民政府关于印发江城市推进医养结合高质量发展实施方案的通知\n各区县人民政府：\n江城市推进医养结合高质量发展实施方案",
         "江城市人民政府关于印发江城市推进医养结合高质量发展实施方案的通知\n各区县人民政府：\n江城市推进医养结合高质量发展实施方案"),
    ],
)
def test_leading_duplicate_titles(text, expected):
    assert strip_boilerplate(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        # broken mid-sentence by a PDF conversion
        ("支持社会力量举办专业医疗机构,面向区域提供相关服务,与其他医疗机构\n合作,在确保医疗安全和满足医疗核心功能前提下,实现资\n源共享和结果互认。",
         "支持社会力量举办专业医疗机构,面向区域提供相关服务,与其他医疗机构合作,在确保医疗安全和满足医疗核心功能前提下,实现资源共享和结果互认。"),
        # an open bracket always continues, however short
        ("支持举办中医(民\n族医)儿科。", "支持举办中医(民族医)儿科。"),
        # real ends stay
        ("健康服务业成为我市国民经济重要增长点。\n二、主要任务", "健康服务业成为我市国民经济重要增长点。\n二、主要任务"),
        ("(市卫生计生委牵头,市直有关部门配合)\n各县市区人民政府要加强组织领导并及时报送工作进展情况",
         "(市卫生计生委牵头,市直有关部门配合)\n各县市区人民政府要加强组织领导并及时报送工作进展情况"),
        ("各县(市、区)人民政府,各园区管委会,市直各委、办、局:\n《方案》已经市人民政府同意",
         "各县(市、区)人民政府,各园区管委会,市直各委、办、局:\n《方案》已经市人民政府同意"),
        # headings and list items start their own line
        ("加快发展健康医药医疗健康养老健康运动健康管理健康旅游\n(一)总体要求", "加快发展健康医药医疗健康养老健康运动健康管理健康旅游\n(一)总体要求"),
        ("加快发展健康医药医疗健康养老健康运动健康管理健康旅游\n1.着力提高医疗服务能力", "加快发展健康医药医疗健康养老健康运动健康管理健康旅游\n1.着力提高医疗服务能力"),
        ("加快发展健康医药医疗健康养老健康运动健康管理健康旅游\n第三条 本办法自印发之日起施行", "加快发展健康医药医疗健康养老健康运动健康管理健康旅游\n第三条 本办法自印发之日起施行"),
        # a short line (a title half, an agency) never pulls the next one up
        ("贵州省关于支持社会力量提供多层次\n多样化医疗服务的实施方案", "贵州省关于支持社会力量提供多层次\n多样化医疗服务的实施方案"),
        ("沈阳市人民政府\n2015年7月12日", "沈阳市人民政府\n2015年7月12日"),
        # a header line (文号 + date) and a title stay apart from the addressee
        ("沈政发[2015]31号        2015-07-12\n各区、县(市)人民政府,市政府各部门,各直属单位:",
         "沈政发[2015]31号        2015-07-12\n各区、县(市)人民政府,市政府各部门,各直属单位:"),
        ("沈阳市人民政府关于印发沈阳市促进健康服务业发展三年行动计划的通知\n现将行动计划印发给你们。",
         "沈阳市人民政府关于印发沈阳市促进健康服务业发展三年行动计划的通知\n现将行动计划印发给你们。"),
        ("国家税务总局江城市税务局公告2023年第5号\n为进一步优化纳税服务，现将有关事项公告如下：",
         "国家税务总局江城市税务局公告2023年第5号\n为进一步优化纳税服务，现将有关事项公告如下："),
        # table rows never merge
        ("| 指标 | 目标值 |\n| 护理型床位占比 | 55% |", "| 指标 | 目标值 |\n| 护理型床位占比 | 55% |"),
        # blank lines between the halves do not matter
        ("与其他医疗机构开展合作并且在确保医疗安全的前提\n\n下实现资源共享。", "与其他医疗机构开展合作并且在确保医疗安全的前提下实现资源共享。"),
        # the lines of a joint 落款 (agency names one space apart) stay lines, however long
        ("自然资源部 住房城乡建设部 市场监管总局\n国家医保局 国家中医药局 全国老龄办",
         "自然资源部 住房城乡建设部 市场监管总局\n国家医保局 国家中医药局 全国老龄办"),
        ("国家卫生健康委 民政部 国家发展改革委 教育部\n财政部 人力资源社会保障部\n2019年10月23日",
         "国家卫生健康委 民政部 国家发展改革委 教育部\n财政部 人力资源社会保障部\n2019年10月23日"),
        ("各地要加强医养结合工作的组织领导和统筹协调，国家卫生健康委 民政部\n将会同有关部门加强督导。",
         "各地要加强医养结合工作的组织领导和统筹协调，国家卫生健康委 民政部将会同有关部门加强督导。"),
    ],
)
def test_join_broken_lines(text, expected):
    assert join_broken_lines(text) == expected


def test_an_attachment_list_keeps_its_file_names():
    # Hanweb pages (www.jiangxi.gov.cn, eval corpus) list attachments one a line under "附件："
    text = (
        "现将抽检情况通告如下。\n附件：本次检验项目.doc\n乳制品监督抽检产品合格信息.xlsx\n"
        "豆制品监督抽检产品合格信息.xlsx\n江西省市场监督管理局\n2020年3月4日"
    )
    assert strip_boilerplate(text) == text


def test_a_bare_file_name_heading_still_goes():
    text = "养老服务实施方案.docx\n为推进养老服务发展，制定本方案，请各地认真贯彻执行。"
    assert strip_boilerplate(text) == "为推进养老服务发展，制定本方案，请各地认真贯彻执行。"


@pytest.mark.parametrize(
    "chrome",
    [
        "打印|", "字号：", "(编辑：文静)", "关键字：", "关键词：养老 医保",  # caijing.com.cn (eval corpus)
        "【免责声明】本文仅代表作者本人观点，与本网无关。", "登录超时，稍后再试", "免注册 快速登录",  # hexun.com
    ],
)
def test_news_page_chrome_goes(chrome):
    body = "交通运输部新闻发言人表示，将着力打造区域综合立体交通网络，推动区域交通一体化发展。"
    assert strip_boilerplate(f"{body}\n{chrome}") == body
