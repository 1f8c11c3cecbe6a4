#!/usr/bin/env python3
"""Deterministic generator of synthetic town catalogues for benchmarks and tests.

    python3 bench/synthetic.py --towns 88 --out /tmp/city         # city scale
    python3 bench/synthetic.py --towns 1800 --out /tmp/province   # province scale

writes a whole project that ``python3 build.py --root OUT check`` accepts with
zero errors and zero warnings::

    OUT/content/region.yaml
    OUT/content/towns/<slug>/{town,powers,duties,institutions}.yaml
    OUT/schemas -> <repo>/schemas          (symlink; --copy-schemas copies)
    OUT/.towncat-synthetic.json            (parameters and counts)

Everything comes from seeded ``random.Random`` instances (one per town, seeded
with a string, so the output does not depend on PYTHONHASHSEED, on the order
towns are written in, or on the clock): the same arguments give byte-identical
files. The text is built from vocabularies of real kinds of matters (行政处罚 in
城市管理, 生态环境, 安全生产 …), real law titles, the offices of the Shandong
“七办五中心” frame and county departments; names of places, phone numbers
(0533-0000NNN), document numbers and addresses are fictitious. Every town is
marked ``sample: true``.

YAML is written as text with f-strings (no ``yaml.dump``): it is about ten
times faster and gives the block style a person would type.

Importable: ``generate_project(out_dir, towns, seed=1, ...)`` returns the counts.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import random
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MARKER = ".towncat-synthetic.json"
GENERATOR_VERSION = 1  # bump when the output changes, so caches are rebuilt

AREA_CODE = "0533"
REGION_NAME = "齐川市"  # fictitious city
REGION_CODE = "370300"
REGION_ABBR = "齐"

# ---------------------------------------------------------------------------
# YAML text helpers
# ---------------------------------------------------------------------------

# A scalar may be written plain when it cannot be mistaken for YAML syntax.
_PLAIN_START_BAD = set("-?:,[]{}#&*!|>'\"%@` \t")


def s(text: str) -> str:
    """``text`` as a YAML scalar: plain when safe, else double-quoted."""
    if (text and text[0] not in _PLAIN_START_BAD and text[-1] not in " :"
            and ": " not in text and " #" not in text and "\n" not in text
            and text not in ("~", "null", "Null", "NULL")):
        return text
    return json.dumps(text, ensure_ascii=False)


def q(text: str) -> str:
    """Always double-quoted (codes with leading digits, as editors are told to write them)."""
    return json.dumps(text, ensure_ascii=False)


def block(text: str, indent: str) -> str:
    """A literal block scalar ``|-`` whose lines are indented by ``indent``."""
    return "|-\n" + "\n".join(indent + line if line else "" for line in text.split("\n"))


# ---------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------

_CN_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 12 → 十二, 27 → 二十七, 105 → 一百零五 (up to 999)."""
    if n < 10:
        return _CN_DIGITS[n]
    if n < 20:
        return "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")
    rest = n % 100
    head = _CN_DIGITS[n // 100] + "百"
    if rest == 0:
        return head
    if rest < 10:
        return head + "零" + _CN_DIGITS[rest]
    if rest < 20:
        return head + "一" + cn_number(rest)
    return head + cn_number(rest)


@dataclass(frozen=True)
class Field:
    """One policy field: who held the powers, the laws, and the matters."""

    name: str  # 领域
    department: str  # county department, without the county's name
    offices: tuple[str, ...]  # its 科室
    laws: tuple[str, ...]
    violations: tuple[str, ...] = ()  # 对……的行政处罚
    permits: tuple[str, ...] = ()  # 行政许可
    inspections: tuple[str, ...] = ()  # 对……的行政检查
    coercions: tuple[str, ...] = ()  # 行政强制
    benefits: tuple[str, ...] = ()  # 行政给付
    confirmations: tuple[str, ...] = ()  # 行政确认
    services: tuple[str, ...] = ()  # 公共服务
    objects: tuple[str, ...] = ()  # what duties are about
    duties: tuple[str, ...] = ()  # hand-written duty names
    keywords: tuple[str, ...] = ()
    town_office: str = "comprehensive-enforcement"  # handles its 处罚/检查/强制
    service_office: str = "convenience-service"  # handles its 许可/给付/确认/服务
    duty_office: str = "comprehensive-enforcement"  # leads its duties


FIELDS: tuple[Field, ...] = (
    Field(
        "城市管理", "综合行政执法局",
        ("市容环境卫生管理科", "市政公用科", "园林绿化科", "执法监督科", "法制审核科"),
        ("《城市市容和环境卫生管理条例》", "《城市绿化条例》", "《城市道路管理条例》",
         "《山东省城市建设管理条例》", "《城市建筑垃圾管理规定》", "《山东省城乡规划条例》",
         "《城市生活垃圾管理办法》"),
        violations=(
            "擅自占用城市道路摆摊设点、占道经营",
            "在城市建筑物、设施以及树木上涂写、刻画或者未经批准张挂、张贴宣传品",
            "随意倾倒、抛撒或者堆放建筑垃圾",
            "擅自占用城市绿化用地",
            "损坏城市绿化及其设施",
            "未经批准设置大型户外广告",
            "在露天场所和垃圾收集容器内焚烧树叶、垃圾",
            "运输液体、散装货物不作密封、包扎、覆盖，造成泄漏、遗撒",
            "未按规定时间、地点、方式投放生活垃圾",
            "擅自砍伐、移植城市树木",
            "未经批准擅自挖掘城市道路",
            "在城市道路上洗车、修车影响市容",
            "临街工地不设置护栏或者不作遮挡、停工场地不及时整理",
            "未经批准在街道两侧和公共场地堆放物料",
            "城市中饲养家禽家畜影响市容和环境卫生",
            "机动车在城市道路上乱停乱放、碾压绿地",
            "擅自在城市道路上设置管线、杆线",
            "沿街单位未履行门前三包责任",
        ),
        permits=(
            "临时占用城市道路审批", "城市建筑垃圾处置核准",
            "设置大型户外广告及在城市建筑物、设施上悬挂、张贴宣传品审批",
            "临时性建筑物搭建、堆放物料、占道施工审批", "砍伐城市树木、迁移古树名木审批",
        ),
        inspections=("沿街商户门前三包责任落实情况", "建筑垃圾运输车辆", "户外广告设施设置"),
        coercions=("对占道经营物品的暂扣", "对违法设置户外广告设施的强制拆除"),
        objects=("占道经营", "乱贴乱画", "建筑垃圾运输", "户外广告", "城市绿地", "生活垃圾分类",
                 "违法建设"),
        duties=("辖区主次干道市容秩序日常巡查", "背街小巷环境卫生整治", "生活垃圾分类宣传引导",
                "新增违法建设发现、劝阻和报告", "农贸市场周边秩序管理"),
        keywords=("占道经营", "乱贴小广告", "渣土车", "建筑垃圾", "违建", "马路市场", "流动摊贩",
                  "乱倒垃圾", "户外广告", "绿地", "门前三包", "垃圾分类"),
        duty_office="comprehensive-enforcement",
    ),
    Field(
        "生态环境", "生态环境分局",
        ("环境执法大队", "大气环境科", "水生态环境科", "土壤和固体废物科"),
        ("《中华人民共和国大气污染防治法》", "《中华人民共和国噪声污染防治法》",
         "《中华人民共和国水污染防治法》", "《中华人民共和国固体废物污染环境防治法》",
         "《山东省大气污染防治条例》", "《畜禽规模养殖污染防治条例》",
         "《山东省扬尘污染防治管理办法》"),
        violations=(
            "露天焚烧秸秆、落叶等产生烟尘污染的物质",
            "排放油烟的餐饮服务业经营者未安装油烟净化设施或者未正常使用",
            "在居民住宅楼、未配套设立专用烟道的商住综合楼内新建餐饮服务项目",
            "在城市人民政府禁止的时段和区域内露天烧烤食品或者为露天烧烤食品提供场地",
            "在人口集中地区焚烧沥青、油毡、橡胶、塑料、皮革、垃圾",
            "未密闭煤炭、煤矸石、砂石等易产生扬尘的物料",
            "在噪声敏感建筑物集中区域夜间进行产生噪声的建筑施工作业",
            "畜禽养殖场未建设污染防治配套设施或者自行建设的配套设施不合格",
            "文化娱乐场所边界噪声超过国家规定的排放标准",
            "在河流、湖泊、渠道管理范围内倾倒、堆放固体废物",
        ),
        inspections=("餐饮服务单位油烟净化设施运行", "秸秆禁烧", "建筑施工工地扬尘防治措施落实"),
        objects=("秸秆禁烧", "散乱污企业", "餐饮油烟", "农村黑臭水体", "扬尘污染", "畜禽养殖污染"),
        duties=("辖区大气污染防治网格化巡查", "秸秆禁烧和综合利用宣传", "河湖“清四乱”日常巡查",
                "散乱污企业动态排查", "农村生活污水治理设施运行维护监督"),
        keywords=("秸秆焚烧", "油烟", "露天烧烤", "扬尘", "噪音扰民", "散乱污", "黑臭水体", "烧垃圾"),
        duty_office="planning-construction",
    ),
    Field(
        "安全生产", "应急管理局",
        ("安全生产基础科", "危险化学品安全监督管理科", "应急救援科", "安全生产执法大队"),
        ("《中华人民共和国安全生产法》", "《烟花爆竹安全管理条例》", "《山东省安全生产条例》",
         "《生产安全事故应急条例》", "《中华人民共和国突发事件应对法》",
         "《山东省生产经营单位安全生产主体责任规定》", "《中华人民共和国消防法》"),
        violations=(
            "生产经营单位未按照规定对从业人员进行安全生产教育和培训",
            "未在有较大危险因素的生产经营场所和有关设施、设备上设置明显的安全警示标志",
            "生产经营单位未建立事故隐患排查治理制度",
            "生产经营单位未按照规定制定生产安全事故应急救援预案或者未定期组织演练",
            "烟花爆竹零售经营者超出许可证载明范围经营",
            "未经许可经营烟花爆竹",
            "生产经营单位未采取措施消除事故隐患",
            "占用、堵塞、封闭疏散通道、安全出口",
            "生产经营单位的主要负责人未履行安全生产管理职责",
        ),
        permits=("烟花爆竹零售经营许可",),
        inspections=("小微企业安全生产情况", "烟花爆竹零售经营单位", "人员密集场所消防安全",
                     "九小场所安全生产状况"),
        coercions=("对不符合保障安全生产国家标准的设施、设备、器材的查封、扣押",),
        objects=("安全生产", "燃气安全", "九小场所消防安全", "有限空间作业", "烟花爆竹禁放",
                 "防汛抗旱", "森林防火"),
        duties=("辖区生产经营单位安全生产隐患排查", "落实生产安全事故信息报告制度",
                "组织开展安全生产月活动", "自然灾害风险隐患排查和预警信息发布",
                "编制和演练镇级突发事件应急预案", "汛期人员转移避险"),
        keywords=("安全隐患", "烟花爆竹", "有限空间", "燃气安全", "消防通道", "九小场所", "应急预案",
                  "防汛"),
        town_office="public-security",
        duty_office="public-security",
    ),
    Field(
        "自然资源", "自然资源局",
        ("国土空间用途管制科", "耕地保护监督科", "执法监察大队", "村镇规划科"),
        ("《中华人民共和国土地管理法》", "《中华人民共和国城乡规划法》",
         "《中华人民共和国土地管理法实施条例》", "《山东省土地管理条例》", "《基本农田保护条例》",
         "《中华人民共和国森林法》", "《山东省城乡规划条例》"),
        violations=(
            "农村村民未经批准或者采取欺骗手段骗取批准，非法占用土地建住宅",
            "未取得乡村建设规划许可证或者未按照乡村建设规划许可证的规定进行建设",
            "在耕地上建窑、建坟或者擅自在耕地上建房、挖砂、采石、采矿、取土",
            "占用永久基本农田发展林果业或者挖塘养鱼",
            "拒不履行土地复垦义务",
            "擅自改变临时用地用途或者修建永久性建筑物",
        ),
        permits=("农村村民宅基地审批", "乡村建设规划许可证核发", "临时用地审批"),
        inspections=("农村村民建房全过程", "耕地保护和永久基本农田"),
        confirmations=("农村村民宅基地和房屋确权登记初审",),
        objects=("耕地保护", "农村乱占耕地建房", "宅基地管理", "违法用地", "地质灾害隐患点"),
        duties=("农村宅基地申请受理和审查", "耕地非农化非粮化排查整改", "地质灾害隐患点巡查和监测",
                "国土空间规划实施情况监督", "卫片图斑核查和整改"),
        keywords=("宅基地", "违法占地", "乡村建设规划许可证", "耕地保护", "大棚房", "批地建房",
                  "盖房子", "土地确权"),
        service_office="planning-construction",
        duty_office="planning-construction",
    ),
    Field(
        "农业农村", "农业农村局",
        ("种植业管理科", "畜牧兽医科", "农村合作经济指导科", "农业综合执法大队"),
        ("《农药管理条例》", "《中华人民共和国种子法》", "《中华人民共和国动物防疫法》",
         "《生猪屠宰管理条例》", "《中华人民共和国农产品质量安全法》", "《中华人民共和国畜牧法》",
         "《中华人民共和国农村土地承包法》", "《山东省农村集体资产管理条例》"),
        violations=(
            "未取得农药经营许可证经营农药", "经营假、劣种子", "使用禁用的农药",
            "在生猪定点屠宰厂（场）以外私屠滥宰", "畜禽养殖场未建立养殖档案",
            "销售含有国家禁止使用的农药、兽药的农产品", "随意处置病死畜禽",
        ),
        inspections=("农产品质量安全", "动物防疫条件"),
        benefits=("耕地地力保护补贴发放", "农机购置与应用补贴申领受理"),
        confirmations=("农村土地承包经营权流转备案", "家庭农场名录登记"),
        services=("农业技术推广服务", "农村集体经济组织成员身份确认指导"),
        objects=("高标准农田建设", "农产品质量安全", "动物疫病防控", "土地承包经营权流转",
                 "农村集体资产", "和美乡村建设"),
        duties=("粮食生产面积落实和统计", "重大动物疫病强制免疫组织实施", "农村集体“三资”管理",
                "农村人居环境整治", "高标准农田建后管护"),
        keywords=("种粮补贴", "土地流转", "农药", "私屠滥宰", "病死猪", "承包地", "防疫", "农机补贴"),
        service_office="agriculture-service",
        duty_office="agriculture-service",
    ),
    Field(
        "水利", "水利局",
        ("河湖管理科", "水资源管理科", "水旱灾害防御科", "水政监察大队"),
        ("《中华人民共和国水法》", "《中华人民共和国防洪法》", "《中华人民共和国河道管理条例》",
         "《山东省水资源条例》", "《中华人民共和国水土保持法》", "《山东省河道管理条例》"),
        violations=(
            "在河道管理范围内建设妨碍行洪的建筑物、构筑物",
            "未经批准在河道管理范围内采砂、取土",
            "在水工程保护范围内从事爆破、打井、采石、取土",
            "未经批准擅自取水",
            "侵占、毁坏水利工程设施",
            "在河道管理范围内弃置、堆放阻碍行洪的物体",
        ),
        permits=("农村集体经济组织修建水库审批",),
        inspections=("河道管理范围内建设项目",),
        objects=("河长制", "小型水库安全运行", "农村饮水安全", "防汛物资储备", "非法采砂"),
        duties=("镇级河长日常巡河", "小型水库巡查管护", "农村供水工程运行管理", "山洪灾害防御"),
        keywords=("河长制", "非法采砂", "河道垃圾", "取水许可", "防汛", "吃水", "自来水"),
        service_office="agriculture-service",
        duty_office="agriculture-service",
    ),
    Field(
        "市场监管", "市场监督管理局",
        ("食品生产安全监督管理科", "食品经营安全监督管理科", "执法稽查大队", "计量科"),
        ("《中华人民共和国食品安全法》", "《山东省食品小作坊小餐饮和食品摊点管理条例》",
         "《无证无照经营查处办法》", "《中华人民共和国产品质量法》", "《中华人民共和国计量法》",
         "《中华人民共和国价格法》"),
        violations=(
            "食品摊点未办理登记卡从事食品经营", "经营超过保质期的食品",
            "食品小作坊未取得登记证从事食品生产加工", "使用未经检定或者检定不合格的计量器具",
            "小餐饮未取得登记证从事餐饮服务",
        ),
        permits=("食品摊点登记", "小餐饮登记"),
        inspections=("食品摊点", "农村集体聚餐"),
        objects=("食品安全", "农村集体聚餐", "特种设备安全", "农贸市场"),
        duties=("食品安全协管员日常巡查", "农村集体聚餐备案和指导", "校园周边食品安全隐患排查"),
        keywords=("小餐饮", "食品摊点", "缺斤短两", "过期食品", "无证经营", "三小", "农村大席"),
    ),
    Field(
        "卫生健康", "卫生健康局",
        ("疾病预防控制科", "基层卫生健康科", "人口监测与家庭发展科", "卫生健康综合监督执法大队"),
        ("《公共场所卫生管理条例》", "《中华人民共和国基本医疗卫生与健康促进法》",
         "《医疗机构管理条例》", "《山东省爱国卫生与健康促进条例》",
         "《中华人民共和国传染病防治法》", "《中华人民共和国人口与计划生育法》"),
        violations=("在禁止吸烟场所吸烟且不听劝阻", "公共场所经营者未查验服务人员健康合格证明",
                    "未取得医疗机构执业许可证擅自执业"),
        inspections=("公共场所卫生",),
        benefits=("农村部分计划生育家庭奖励扶助金发放", "计划生育家庭特别扶助金发放"),
        confirmations=("独生子女父母光荣证办理",),
        services=("生育登记服务", "基本公共卫生服务"),
        objects=("爱国卫生运动", "病媒生物防制", "传染病防控", "家庭医生签约", "控烟"),
        duties=("爱国卫生运动组织", "传染病疫情报告和流行病学调查配合", "病媒生物防制"),
        keywords=("非法行医", "黑诊所", "控烟", "生育登记", "独生子女", "打疫苗", "家庭医生"),
        town_office="social-affairs",
        service_office="social-affairs",
        duty_office="social-affairs",
    ),
    Field(
        "民政", "民政局",
        ("社会救助科", "养老服务科", "社会事务科", "基层政权建设和社区治理科"),
        ("《社会救助暂行办法》", "《山东省社会救助办法》", "《特困人员认定办法》",
         "《最低生活保障审核确认办法》", "《中华人民共和国老年人权益保障法》",
         "《中华人民共和国村民委员会组织法》", "《中华人民共和国残疾人保障法》"),
        benefits=("最低生活保障金给付", "特困人员救助供养金给付", "临时救助金给付",
                  "困难残疾人生活补贴和重度残疾人护理补贴发放", "80周岁以上老年人高龄津贴发放",
                  "孤儿、事实无人抚养儿童基本生活费发放"),
        confirmations=("最低生活保障对象认定", "特困人员认定", "低保边缘家庭认定"),
        services=("老年人优待证办理", "殡葬服务咨询"),
        objects=("社会救助", "养老服务", "未成年人保护", "村（居）民委员会建设", "殡葬改革"),
        duties=("低保、特困申请受理和入户调查", "困境儿童信息排查", "村（居）民委员会换届选举指导",
                "农村幸福院运营管理", "散埋乱葬治理"),
        keywords=("低保", "五保", "特困", "临时救助", "残疾人两项补贴", "高龄补贴", "老年证", "救济"),
        town_office="social-affairs",
        service_office="convenience-service",
        duty_office="social-affairs",
    ),
    Field(
        "人力资源社会保障", "人力资源和社会保障局",
        ("就业促进科", "养老保险科", "劳动保障监察大队", "农民工工作科"),
        ("《中华人民共和国社会保险法》", "《中华人民共和国就业促进法》", "《保障农民工工资支付条例》",
         "《山东省就业促进条例》", "《中华人民共和国劳动合同法》"),
        benefits=("城乡居民基本养老保险待遇申领受理",),
        confirmations=("就业困难人员认定",),
        services=("城乡居民基本养老保险参保登记", "就业创业证申领", "失业登记",
                  "灵活就业人员社会保险补贴申领", "职业技能培训报名"),
        objects=("稳就业", "农民工工资支付", "城乡居民养老保险", "劳动争议调解"),
        duties=("农民工欠薪线索排查和报告", "城乡居民养老保险参保扩面", "就业困难人员帮扶"),
        keywords=("社保", "养老保险", "欠薪", "讨薪", "就业", "灵活就业", "找工作"),
        town_office="social-affairs",
        duty_office="social-affairs",
    ),
    Field(
        "住房城乡建设", "住房和城乡建设局",
        ("村镇建设科", "建筑管理科", "物业管理科", "城镇燃气管理科"),
        ("《中华人民共和国建筑法》", "《建设工程质量管理条例》", "《山东省物业管理条例》",
         "《住宅室内装饰装修管理办法》", "《城镇燃气管理条例》", "《山东省农村住房建设管理办法》"),
        violations=("装修人擅自变动建筑主体和承重结构", "施工单位未采取扬尘防治措施",
                    "擅自改动、迁移燃气设施"),
        inspections=("农村自建房安全", "建筑工地扬尘治理"),
        benefits=("农村低收入群体等重点对象危房改造补助申请受理",),
        objects=("农村自建房安全", "物业管理", "城镇燃气安全", "老旧小区改造"),
        duties=("农村经营性自建房安全隐患排查", "物业服务企业日常监督", "瓶装液化气安全检查",
                "老旧小区改造群众意见征集"),
        keywords=("危房改造", "物业", "燃气", "装修", "工地", "自建房", "煤气罐"),
        town_office="planning-construction",
        duty_office="planning-construction",
    ),
    Field(
        "交通运输", "交通运输局",
        ("公路管理科", "道路运输管理科", "交通运输综合执法大队"),
        ("《中华人民共和国公路法》", "《公路安全保护条例》", "《山东省公路路政管理条例》",
         "《山东省农村公路条例》", "《中华人民共和国道路运输条例》"),
        violations=("在公路用地范围内设置非公路标志", "在公路上及公路用地范围内摆摊设点、堆放物品",
                    "在公路建筑控制区内修建、扩建建筑物、地面构筑物"),
        inspections=("农村公路路域环境",),
        objects=("农村公路养护", "路域环境", "农村客运", "交通安全劝导"),
        duties=("农村公路“路长制”日常巡查", "农村交通安全劝导站管理", "农村公路路域环境整治"),
        keywords=("乡村公路", "路政", "超载", "村村通", "修路", "路长制"),
        duty_office="economic-development",
    ),
    Field(
        "文化和旅游", "文化和旅游局",
        ("公共服务科", "文物保护科", "文化市场综合执法大队"),
        ("《互联网上网服务营业场所管理条例》", "《娱乐场所管理条例》", "《营业性演出管理条例》",
         "《中华人民共和国文物保护法》", "《中华人民共和国公共文化服务保障法》"),
        violations=("互联网上网服务营业场所接纳未成年人进入", "娱乐场所未按规定悬挂警示标志"),
        inspections=("文物保护单位安全",),
        services=("综合文化站免费开放", "农家书屋借阅服务"),
        objects=("文物安全", "公共文化服务", "文化市场", "乡村旅游"),
        duties=("不可移动文物日常巡查", "群众性文化活动组织", "农家书屋运行管理"),
        keywords=("网吧", "文物", "广场舞", "农家书屋", "文化站"),
        town_office="comprehensive-enforcement",
        service_office="party-mass-service",
        duty_office="party-mass-service",
    ),
    Field(
        "退役军人事务", "退役军人事务局",
        ("优抚科", "移交安置和就业创业科", "双拥和褒扬纪念科"),
        ("《中华人民共和国退役军人保障法》", "《军人抚恤优待条例》", "《烈士褒扬条例》"),
        benefits=("优待抚恤金发放", "退役士兵自主就业一次性经济补助金申领受理"),
        confirmations=("退役军人信息采集",),
        services=("悬挂光荣牌", "烈士纪念设施日常管理"),
        objects=("退役军人服务保障", "拥军优属", "烈士纪念设施"),
        duties=("退役军人走访慰问", "退役军人信息采集和动态更新", "烈士纪念设施日常维护"),
        keywords=("优抚", "退役军人", "光荣牌", "老兵", "抚恤"),
        town_office="social-affairs",
        service_office="social-affairs",
        duty_office="social-affairs",
    ),
    Field(
        "医疗保障", "医疗保障局",
        ("待遇保障科", "基金监管科"),
        ("《中华人民共和国社会保险法》", "《医疗保障基金使用监督管理条例》", "《山东省医疗保障条例》"),
        benefits=("城乡医疗救助申请受理",),
        services=("城乡居民基本医疗保险参保登记", "异地就医备案", "门诊慢特病待遇申请受理"),
        objects=("居民医保参保", "医保基金监管"),
        duties=("城乡居民医保参保动员", "欺诈骗保线索排查"),
        keywords=("医保", "居民医保", "报销", "异地就医", "慢性病"),
        duty_office="social-affairs",
    ),
    Field(
        "平安建设", "司法局",
        ("人民参与和促进法治科", "社区矫正管理科", "公共法律服务管理科"),
        ("《中华人民共和国人民调解法》", "《中华人民共和国社区矫正法》", "《信访工作条例》",
         "《中华人民共和国法律援助法》"),
        services=("人民调解", "法律援助申请受理", "公共法律服务咨询"),
        objects=("矛盾纠纷排查化解", "社区矫正", "信访事项", "网格化服务管理"),
        duties=("矛盾纠纷多元化解", "社区矫正对象日常监管配合", "初信初访办理",
                "网格员队伍管理和考核", "平安村居创建"),
        keywords=("调解", "信访", "法律援助", "网格员", "邻里纠纷"),
        town_office="public-security",
        service_office="grid-governance",
        duty_office="grid-governance",
    ),
)
FIELD_BY_NAME = {f.name: f for f in FIELDS}

# Which share of powers fall in each type (roughly as in published 放权目录).
POWER_TYPES = (
    ("行政处罚", 62), ("行政检查", 9), ("行政许可", 7), ("行政强制", 4), ("行政给付", 6),
    ("行政确认", 5), ("公共服务", 5), ("其他行政权力", 2),
)
TYPE_PREFIX = {"行政处罚": "cf", "行政检查": "jc", "行政许可": "xk", "行政强制": "qz",
               "行政给付": "gf", "行政确认": "qr", "公共服务": "fw", "其他行政权力": "qt"}
TYPE_CODE = {"行政处罚": "CF", "行政检查": "JC", "行政许可": "XK", "行政强制": "QZ",
             "行政给付": "GF", "行政确认": "QR", "公共服务": "GG", "其他行政权力": "QT"}

OTHER_POWERS = (
    ("城市管理", "城市管理领域违法行为投诉举报受理"),
    ("安全生产", "生产安全事故隐患举报奖励"),
    ("自然资源", "农村宅基地使用权流转备案"),
    ("民政", "村民委员会成员罢免申请受理"),
)

APPLICANTS = ("自然人", "企业法人", "事业法人", "社会组织法人", "非法人企业", "其他组织")
DELEGATION_MODES = (("下放", 55), ("委托", 30), ("授权", 5), ("法定", 8), ("派驻", 2))
SCOPES = {
    "行政处罚": ("行政处罚权以及与其行政处罚权有关的行政检查、行政强制措施",
              "简易程序和普通程序的全部行政处罚权", "行政处罚权（不含吊销许可证件）"),
    "行政检查": ("日常检查权", "全部检查权"),
    "行政许可": ("受理、审查、决定、送达全部环节", "受理和初审，由县级部门作出决定"),
    "行政强制": ("与行政处罚相关的行政强制措施",),
    "行政给付": ("受理、审核和发放", "受理和初审"),
    "行政确认": ("受理、审核、确认全部环节", "受理和初审"),
    "公共服务": ("全部服务事项", "受理和帮办代办"),
    "其他行政权力": ("全部事项",),
}
REMEDIES = {
    "enforce": ("对处罚决定不服的，可以在收到决定书之日起六十日内向{county}人民政府申请行政复议，"
                "或者在六个月内向人民法院提起行政诉讼",
                "对行政行为不服的，可以依法申请行政复议或者提起行政诉讼"),
    "service": ("申请人对审批结果有异议的，可以向{county}人民政府申请行政复议或者依法提起行政诉讼",
                "对决定不服的，可以依法申请行政复议或者提起行政诉讼",
                "对办理结果有异议的，可以拨打 12345 政务服务便民热线反映"),
}
ACCOUNTABILITY = (
    "因不履行或不正确履行行政职责，有下列情形之一的，行政机关及其工作人员应当承担相应责任：\n\n"
    "1. 没有法律和事实依据实施行政处罚的；\n2. 擅自改变行政处罚种类、幅度的；\n"
    "3. 违反法定的行政处罚程序的；\n4. 利用职务便利，索取或者收受他人财物的；\n"
    "5. 其他违反法律法规规章文件规定的行为。",
    "有下列情形之一的，依法追究责任：\n\n1. 对符合条件的申请不予受理的；\n"
    "2. 未在法定期限内作出决定的；\n3. 违法收取费用的。",
)
FEES = ("不收费", "不收费", "不收费", "按照《山东省行政事业性收费目录清单》规定标准收取")
TIME_LIMITS = (("20个工作日", "5个工作日"), ("20个工作日", "10个工作日"), ("15个工作日", "3个工作日"),
               ("30日", "7个工作日"), ("即时办结", "即时办结"))
WITHDRAWN_REASONS = ("镇街承接后使用频率低，由县级部门收回", "技术承接难、专业性强，由县级部门收回",
                     "上级法律法规调整，事项取消")

DUTY_KINDS = (("主体责任", 45), ("配合责任", 45), ("基本履职事项", 5), ("配合履职事项", 4),
              ("上级部门收回事项", 1))
LEAD_TEMPLATES = ("辖区内{o}日常巡查", "{o}问题排查和上报", "{o}宣传教育和政策解读",
                  "{o}工作台账建立和动态管理", "{o}矛盾纠纷调处", "组织开展{o}专项整治",
                  "{o}信息采集和核实")
COOP_TEMPLATES = ("配合{d}开展{o}执法检查", "配合{d}做好{o}专项整治", "协助{d}做好{o}信息采集",
                  "配合{d}处置{o}突发事件", "配合{d}落实{o}监管措施")
PROCESS_LEAD = ("网格员日常巡查发现", "群众通过12345热线反映", "镇街工作人员现场核实",
                "建立问题台账并明确整改时限", "督促责任主体整改", "整改完成后复查销号",
                "情节严重的移交县级部门依法处置", "每月汇总上报县级主管部门")
PROCESS_COOP = ("县级部门发现问题或接到线索", "通报镇街并提出配合要求", "镇街安排人员现场配合",
                "提供辖区基本情况和相关资料", "县级部门依法处置", "镇街做好群众解释和后续跟踪",
                "处置结果共同存档")
CONTENT_LINES = ("组织{o}日常巡查，及时发现问题", "建立{o}工作台账，实行动态管理",
                 "发现问题及时劝阻、制止并报告{d}", "做好{o}相关政策宣传和群众解释",
                 "配合{d}开展执法检查和专项行动", "督促辖区单位和个人落实{o}相关要求",
                 "按要求报送{o}工作信息")
DEPT_DUTIES = ("负责执法查处", "负责业务指导和政策解释", "负责技术支持", "负责立案调查和作出处理决定",
               "负责统筹协调和督导检查", "配合开展联合执法", "负责提供数据和信息支持")
ROLES_TOWN = ("分管{f}工作的副镇长", "分管{f}工作的党委委员", "{off}主任", "镇长")
ROLES_STREET = ("分管{f}工作的办事处副主任", "分管{f}工作的党工委委员", "{off}主任", "办事处主任")

# ---- places (fictitious combinations of ordinary place-name characters)
_PLACE_HEADS = (
    ("马", "ma"), ("金", "jin"), ("张", "zhang"), ("王", "wang"), ("李", "li"), ("刘", "liu"),
    ("田", "tian"), ("石", "shi"), ("龙", "long"), ("凤", "feng"), ("东", "dong"), ("西", "xi"),
    ("南", "nan"), ("北", "bei"), ("高", "gao"), ("新", "xin"), ("黄", "huang"), ("白", "bai"),
    ("青", "qing"), ("柳", "liu"), ("杨", "yang"), ("孙", "sun"), ("周", "zhou"), ("唐", "tang"),
    ("徐", "xu"), ("荆", "jing"), ("鲁", "lu"), ("朱", "zhu"), ("何", "he"), ("郭", "guo"),
    ("邢", "xing"), ("韩", "han"), ("崔", "cui"), ("蒋", "jiang"), ("袁", "yuan"), ("苏", "su"),
    ("范", "fan"), ("双", "shuang"), ("三", "san"), ("太", "tai"), ("古", "gu"), ("长", "chang"),
    ("安", "an"), ("永", "yong"), ("红", "hong"), ("桃", "tao"), ("杏", "xing"), ("梨", "li"),
    ("松", "song"), ("槐", "huai"), ("沙", "sha"), ("泉", "quan"), ("峰", "feng"), ("皇", "huang"),
    ("官", "guan"), ("卧", "wo"), ("凌", "ling"), ("潘", "pan"), ("冯", "feng"), ("吕", "lv"),
)
_PLACE_TAILS = (
    ("桥", "qiao"), ("山", "shan"), ("庄", "zhuang"), ("店", "dian"), ("集", "ji"), ("口", "kou"),
    ("湖", "hu"), ("泉", "quan"), ("峪", "yu"), ("岭", "ling"), ("坡", "po"), ("沟", "gou"),
    ("营", "ying"), ("屯", "tun"), ("寨", "zhai"), ("城", "cheng"), ("河", "he"), ("楼", "lou"),
    ("林", "lin"), ("村", "cun"), ("埠", "bu"), ("塘", "tang"), ("洼", "wa"), ("台", "tai"),
    ("岗", "gang"), ("冢", "zhong"), ("堡", "bao"), ("滩", "tan"), ("园", "yuan"), ("阳", "yang"),
)
_PLACE_MIDS = (("家", "jia"), ("王", "wang"), ("官", "guan"), ("石", "shi"), ("马", "ma"),
               ("东", "dong"), ("西", "xi"))
_COUNTY_HEADS = (
    ("临", "lin"), ("淄", "zi"), ("博", "bo"), ("桓", "huan"), ("沂", "yi"), ("齐", "qi"),
    ("昌", "chang"), ("安", "an"), ("高", "gao"), ("莱", "lai"), ("平", "ping"), ("泰", "tai"),
    ("宁", "ning"), ("文", "wen"), ("东", "dong"), ("广", "guang"), ("邹", "zou"), ("寿", "shou"),
    ("荣", "rong"), ("乐", "le"), ("金", "jin"), ("嘉", "jia"), ("武", "wu"), ("阳", "yang"),
)
_COUNTY_TAILS = (
    ("川", "chuan"), ("源", "yuan"), ("城", "cheng"), ("河", "he"), ("山", "shan"), ("阳", "yang"),
    ("平", "ping"), ("水", "shui"), ("丘", "qiu"), ("陵", "ling"), ("邑", "yi"), ("台", "tai"),
)
ROADS = ("人民路", "中心大街", "府前街", "政通路", "建设路", "文化路", "团结路", "振兴路")
HOURS = ("工作日 9:00–12:00，13:30–17:00", "工作日 8:30–12:00，14:00–17:30（夏季 14:30–18:00）",
         "周一至周五 9:00–17:00，法定节假日除外", "工作日 8:30–17:30，中午不休")

DESIGNATIONS = ("全国重点镇", "省级经济发达镇", "山东省乡村振兴示范镇", "全国文明村镇",
                "国家卫生乡镇（县城）")
TOWN_RIGHTS = (
    ("comprehensive-management", "辖区范围内综合管理权", "镇街对辖区内经济社会事务进行统筹协调和综合管理的权力。"),
    ("major-decision-proposal", "重大决策和重大项目建议权", "县级涉及镇街的重大决策、重大项目，镇街有权提出意见建议。"),
    ("planning-participation", "规划参与权", "镇街参与县级编制涉及本辖区的规划。"),
    ("personnel-assessment", "对派驻机构负责人的人事考核权", "镇街对县级部门派驻机构负责人的考核有发言权。"),
    ("consent", "对派驻机构负责人的征得同意权", "县级部门任免、调整派驻机构负责人，应征得镇街党（工）委同意。"),
)


@dataclass(frozen=True)
class OfficeSpec:
    id: str
    name: str
    short: str
    kind: str  # 党政工作机构 / 事业单位 / 派驻机构 / 其他
    slot: str | None  # 规定 / 自主
    standard: str | None
    also: tuple[str, ...]
    functions: tuple[str, ...]
    parent: str | None = None  # county department for 派驻机构


# The “七办五中心” frame, then four stationed units: the default 16 offices.
OFFICES: tuple[OfficeSpec, ...] = (
    OfficeSpec("party-government-office", "党政综合办公室", "党政办", "党政工作机构", "规定", "党政综合",
               ("人大工作办公室", "档案室"),
               ("负责党委、政府日常运转和综合协调", "负责文电、会务、机要、保密、档案、督查督办",
                "负责政务公开、政务信息和对外宣传")),
    OfficeSpec("party-building", "党建工作办公室", "党建办", "党政工作机构", "规定", "党的建设",
               ("组织办公室", "宣传统战办公室"),
               ("负责基层党组织建设和党员教育管理", "负责干部人事、机构编制和人才工作",
                "负责宣传思想、精神文明建设和统一战线工作")),
    OfficeSpec("economic-development", "经济发展办公室", "经发办", "党政工作机构", "规定", "经济发展",
               ("统计办公室", "招商引资办公室"),
               ("负责拟订经济社会发展规划并组织实施", "负责招商引资、项目建设和企业服务",
                "负责统计调查和经济运行监测分析")),
    OfficeSpec("social-affairs", "社会事务办公室", "社会事务办", "党政工作机构", "规定", "社会事务",
               ("民政办公室", "卫生健康办公室"),
               ("负责社会救助、养老服务、残疾人和未成年人保护工作", "负责卫生健康、教育、文化体育工作",
                "负责就业和社会保障工作")),
    OfficeSpec("public-security", "平安建设办公室", "平安办", "党政工作机构", "规定", "平安建设",
               ("应急管理办公室", "信访办公室"),
               ("负责安全生产、应急管理和防灾减灾工作", "负责社会治安综合治理和信访工作",
                "负责矛盾纠纷排查化解")),
    OfficeSpec("comprehensive-enforcement", "综合行政执法办公室", "综合执法办", "党政工作机构", "规定",
               "综合执法", ("综合行政执法队",),
               ("负责县级赋予的行政处罚权及相关行政检查、行政强制措施", "负责城乡市容环境秩序管理",
                "负责统筹协调派驻机构参与联合执法")),
    OfficeSpec("planning-construction", "生态环境和城乡建设办公室", "环建办", "党政工作机构", "规定",
               "城乡建设", ("自然资源和规划办公室", "村镇建设办公室"),
               ("负责国土空间规划实施、村镇建设和自然资源管理", "负责生态环境保护和污染防治",
                "负责农村自建房安全和城镇燃气安全日常管理")),
    OfficeSpec("party-mass-service", "党群服务中心", "党群中心", "事业单位", "规定", "党群服务",
               ("新时代文明实践所", "综合文化站"),
               ("承担党员教育、志愿服务和群团服务工作", "承担新时代文明实践和公共文化服务")),
    OfficeSpec("convenience-service", "便民服务中心", "便民中心", "事业单位", "规定", "便民服务",
               ("为民服务中心",),
               ("承担政务服务事项的受理、办理和帮办代办", "承担“一窗受理、集成服务”")),
    OfficeSpec("grid-governance", "社会治理网格化服务中心", "网格中心", "事业单位", "规定", "社会治理",
               ("综治中心", "12345热线镇级工作站"),
               ("承担网格化服务管理、12345热线工单办理", "承担矛盾纠纷调解和公共法律服务")),
    OfficeSpec("agriculture-service", "农业农村综合服务中心", "农服中心", "事业单位", "规定", "农业农村",
               ("水利站", "畜牧兽医站"),
               ("承担农业技术推广、动植物疫病防控和农产品质量安全服务", "承担农田水利和防汛抗旱技术服务")),
    OfficeSpec("finance-service", "财政经管服务中心", "财经中心", "事业单位", "规定", "财政经管",
               ("农村经营管理站",),
               ("承担财政预算执行和国有资产管理服务", "承担农村集体“三资”管理服务")),
    OfficeSpec("police-station", "派出所", "派出所", "派驻机构", None, None, (),
               ("负责辖区治安管理、户籍管理和矛盾纠纷化解", "配合镇街开展平安建设"),
               parent="公安局"),
    OfficeSpec("judicial-office", "司法所", "司法所", "派驻机构", None, None, ("公共法律服务工作站",),
               ("负责人民调解、社区矫正和法治宣传", "为镇街依法决策提供法律意见"), parent="司法局"),
    OfficeSpec("market-supervision", "市场监督管理所", "市场所", "派驻机构", None, None, (),
               ("负责辖区食品安全、特种设备安全和市场秩序监管",), parent="市场监督管理局"),
    OfficeSpec("natural-resources-office", "自然资源所", "自然资源所", "派驻机构", None, None, (),
               ("负责辖区土地、矿产和规划执法巡查", "配合镇街做好宅基地审批和耕地保护"),
               parent="自然资源局"),
    # Beyond the default 16:
    OfficeSpec("veterans-service", "退役军人服务站", "退役军人站", "其他", "自主", None, (),
               ("承担退役军人服务保障和拥军优属工作",)),
    OfficeSpec("investment-service", "招商服务中心", "招商中心", "事业单位", "自主", None, (),
               ("承担招商引资项目洽谈和企业服务",)),
    OfficeSpec("tax-branch", "税务分局", "税务分局", "派驻机构", None, None, (),
               ("负责辖区税收征管和纳税服务",), parent="税务局"),
    OfficeSpec("traffic-squad", "交警中队", "交警中队", "派驻机构", None, None, (),
               ("负责辖区道路交通安全管理",), parent="公安局交通警察大队"),
    OfficeSpec("fire-station", "消防救援站", "消防站", "派驻机构", None, None, (),
               ("负责辖区火灾扑救和应急救援",), parent="消防救援大队"),
)

# ---------------------------------------------------------------------------
# The region: counties and towns
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class County:
    code: str
    name: str
    slug: str
    abbr: str  # first character, used in document numbers (桓编发〔2021〕1号)


@dataclass(frozen=True)
class TownSpec:
    index: int
    slug: str
    name: str
    kind: str  # 镇 / 街道
    code: str
    county: County


def _weighted(rng: random.Random, table: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([k for k, _ in table], [w for _, w in table])[0]


def plan_region(towns: int, counties: int | None, seed: int) -> tuple[list[County], list[TownSpec]]:
    """Counties and towns with valid, unique codes, names and slugs."""
    if towns < 1:
        raise ValueError("--towns must be at least 1")
    if counties is None:
        counties = min(99, max(min(8, towns), math.ceil(towns / 20)))
    if not 1 <= counties <= 99:
        raise ValueError("--counties must be between 1 and 99")
    if towns > counties * 198:
        raise ValueError(f"{towns} towns do not fit in {counties} counties (198 codes each)")
    rng = random.Random(f"towncat-bench:region:{seed}")

    county_names = [(h + t, hp + tp) for h, hp in _COUNTY_HEADS for t, tp in _COUNTY_TAILS if h != t]
    rng.shuffle(county_names)
    county_list: list[County] = []
    used_slugs: set[str] = set()
    for i in range(counties):
        name, slug = county_names[i]
        suffix = "区" if i % 3 == 0 else "县"
        slug = slug if slug not in used_slugs else f"{slug}{i}"
        used_slugs.add(slug)
        county_list.append(County(f"{REGION_CODE[:4]}{i + 1:02d}", name + suffix, slug, name[0]))

    # Town names: two- and three-character combinations; slugs are their pinyin.
    pairs = [(h + t, hp + tp) for h, hp in _PLACE_HEADS for t, tp in _PLACE_TAILS if h != t]
    triples = [(h + m + t, hp + mp + tp) for h, hp in _PLACE_HEADS for m, mp in _PLACE_MIDS
               for t, tp in _PLACE_TAILS if h != m]
    rng.shuffle(pairs)
    rng.shuffle(triples)
    candidates = pairs + triples
    names: list[tuple[str, str]] = []
    seen_names: set[str] = set()
    seen_slugs: set[str] = set()
    for name, slug in candidates:
        if len(names) == towns:
            break
        if name in seen_names or slug in seen_slugs:
            continue
        seen_names.add(name)
        seen_slugs.add(slug)
        names.append((name, slug))
    while len(names) < towns:  # beyond ~12,000 towns: number the rest
        n = len(names)
        names.append((f"第{cn_number(n % 1000)}{n // 1000}镇", f"town{n}"))

    # Spread towns over counties; 区 have mostly 街道, 县 mostly 镇.
    per_county = [towns // counties + (1 if i < towns % counties else 0) for i in range(counties)]
    specs: list[TownSpec] = []
    index = 0
    for county, count in zip(county_list, per_county, strict=True):
        street_share = 0.7 if county.name.endswith("区") else 0.25
        streets = min(99, round(count * street_share), count)
        streets = max(streets, count - 100)
        for j in range(count):
            name, slug = names[index]
            if j < streets:
                kind, code = "街道", f"{county.code}{j + 1:03d}000"
                name = name + "街道" if rng.random() < 0.7 else name + "路街道"
            else:
                kind, code = "镇", f"{county.code}{100 + j - streets:03d}000"
                name = name + "镇"
            specs.append(TownSpec(index, slug, name, kind, code, county))
            index += 1
    return county_list, specs


# ---------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------


class Ctx:
    """Per-town random state and helpers."""

    def __init__(self, town: TownSpec, seed: int) -> None:
        self.town = town
        self.rng = random.Random(f"towncat-bench:town:{seed}:{town.index}:{town.slug}")

    def phone(self) -> str:
        return f"{AREA_CODE}-0000{self.rng.randrange(1000):03d}"

    def date(self, start: str, days: int) -> str:
        base = dt.date.fromisoformat(start).toordinal()
        return dt.date.fromordinal(base + self.rng.randrange(days)).isoformat()

    def doc_number(self, kind: str, year: int) -> str:
        return f"{self.town.county.abbr}{kind}〔{year}〕{self.rng.randrange(1, 60)}号"


def _article(rng: random.Random) -> str:
    text = f"第{cn_number(rng.randrange(5, 120))}条"
    r = rng.random()
    if r < 0.4:
        text += f"第{cn_number(rng.randrange(1, 4))}款"
    elif r < 0.55:
        text += f"第（{cn_number(rng.randrange(1, 8))}）项"
    return text


def _law_self(law: str) -> str:
    for suffix in ("法", "条例", "办法", "规定"):
        if law.endswith(suffix + "》"):
            return "本" + suffix
    return "本规定"


def region_yaml(counties: list[County]) -> str:
    out = ["# yaml-language-server: $schema=../schemas/region.schema.json",
           f"name: {REGION_NAME}", f"code: {q(REGION_CODE)}", "counties:"]
    for c in counties:
        out += [f"  - code: {q(c.code)}", f"    name: {c.name}", f"    slug: {c.slug}"]
    out.append("town_rights:")
    for rid, name, desc in TOWN_RIGHTS:
        out += [f"  - id: {rid}", f"    name: {name}", f"    description: {desc}"]
    out += [
        "town_rights_source:",
        "  title: 关于加强镇街机构职能体系建设的研究与思考",
        "  publisher: 中共淄博市委机构编制委员会办公室",
        "sources:",
        "  - title: 合成测试数据",
        "    publisher: towncat bench/synthetic.py",
        "    note: 本区域及其区县、镇街的名称和代码均为随机生成，仅用于性能测试",
    ]
    return "\n".join(out) + "\n"


def town_yaml(ctx: Ctx, neighbours: list[TownSpec]) -> str:
    t, rng = ctx.town, ctx.rng
    county = t.county.name
    authority = (f"{t.name}人民政府" if t.kind == "镇"
                 else f"{county}人民政府{t.name}办事处")
    out = ["# yaml-language-server: $schema=../../../schemas/town.schema.json",
           f"code: {q(t.code)}", f"name: {t.name}", f"nbs_name: {t.name}"]
    if rng.random() < 0.3:
        out += ["aliases:", f"  - {t.name[:-1] if t.kind == '镇' else t.name[:-2]}"]
    out += [f"kind: {t.kind}", f"county: {county}", f"authority: {authority}"]
    if t.kind == "镇" and rng.random() < 0.3:
        out += ["designations:"]
        for name in rng.sample(DESIGNATIONS, rng.randrange(1, 3)):
            out += [f"  - name: {name}", "    source:",
                    f"      title: 关于公布{name}名单的通知",
                    f"      date: {ctx.date('2014-01-01', 3000)}"]
    out += [
        "service_center:",
        f"  name: {t.name}便民服务中心",
        f"  address: {county}{t.name}{rng.choice(ROADS)}{rng.randrange(1, 300)}号",
        f"  hours: {rng.choice(HOURS)}",
        f"  phone: {q(ctx.phone())}",
        f"portal_url: https://example.org/{t.county.slug}/{t.slug}/",
        "sample: true",
        "sample_note: 本镇街的全部内容由 bench/synthetic.py 随机生成，仅用于性能测试，"
        "不是真实的清单、机构或电话。",
        "edition:",
        f"  title: {rng.choice(('2021年版', '2022年版', '2023年版', '2024年版'))}",
        "  approval:",
        f"    title: 关于印发{t.name}权责清单的通知",
        f"    document_number: {ctx.doc_number('编发', rng.randrange(2021, 2025))}",
        f"    date: {ctx.date('2021-01-01', 1400)}",
        f"  effective_from: {ctx.date('2021-06-01', 1200)}",
    ]
    seat = "镇政府" if t.kind == "镇" else "街道办事处"
    summary = (f"{t.name}位于{county}{rng.choice('东南西北')}部，辖{rng.randrange(8, 60)}个"
               f"{'行政村' if t.kind == '镇' else '社区'}，常住人口约{rng.randrange(2, 12)}万人。"
               f"{seat}驻{rng.choice(ROADS)}。")
    if rng.random() < 0.5:
        summary += ("\n\n主要产业：\n\n- " + "\n- ".join(
            rng.sample(("装备制造", "新材料", "现代农业", "商贸物流", "文化旅游", "精细化工",
                        "陶瓷琉璃", "食品加工"), 3)))
    out += ["summary: " + block(summary, "  ")]
    out += ["history:",
            f"  - date: {ctx.date('2001-01-01', 5000)}",
            f"    event: 撤乡设{'镇' if t.kind == '镇' else '街道'}，设立{t.name}"]
    if neighbours and rng.random() < 0.3:
        other = rng.choice(neighbours)
        out += [f"  - date: {ctx.date('2010-01-01', 3000)}",
                f"    event: 原{other.name}部分村（居）划入本{t.kind}"]
    out += ["sources:",
            "  - title: 合成测试数据",
            "    publisher: towncat bench/synthetic.py",
            "    note: 名称、代码、电话和地址均为虚构"]
    return "\n".join(out) + "\n"


def _office_ids(ctx: Ctx, institutions: int) -> list[OfficeSpec]:
    specs = list(OFFICES[:institutions])
    for n in range(len(specs), institutions):  # beyond the catalogue of known offices
        specs.append(OfficeSpec(f"special-office-{n + 1}", f"专项工作办公室{cn_number(n + 1)}",
                                f"专项办{n + 1}", "其他", "自主", None, (),
                                ("承担党委、政府交办的专项工作",)))
    return specs


def institutions_yaml(ctx: Ctx, offices: list[OfficeSpec], neighbours: list[TownSpec]) -> str:
    t, rng = ctx.town, ctx.rng
    county = t.county.name
    head = "镇" if t.kind == "镇" else "街道"
    out = ["# yaml-language-server: $schema=../../../schemas/institutions.schema.json",
           f"title: {t.name}机构设置（示例）",
           "approval:",
           f"  title: 关于{t.name}机构改革方案的批复",
           f"  document_number: {ctx.doc_number('编发', 2019)}",
           f"  date: {ctx.date('2019-02-01', 200)}",
           f"effective_from: {ctx.date('2019-03-01', 120)}",
           "institutions:"]
    for o in offices:
        out += [f"  - id: {o.id}"]
        if o.kind == "派驻机构":
            name = f"{county}{o.parent}{t.name[:-1] if t.kind == '镇' else t.name[:-2]}{o.name}"
            out += [f"    name: {name}", f"    short_name: {o.short}", f"    kind: {o.kind}",
                    f"    parent_department: {county}{o.parent}",
                    f"    management: {rng.choice(('派驻，人事关系在县局', '垂直管理', '双重管理，以县局为主'))}"]
            if neighbours and rng.random() < 0.35:
                out += ["    covers_towns:"]
                for other in rng.sample(neighbours, min(len(neighbours), rng.randrange(1, 3))):
                    out += [f"      - {other.slug}"]
        else:
            out += [f"    name: {o.name}", f"    short_name: {o.short}"]
            if o.also:
                out += ["    also_named:"] + [f"      - {a}" for a in o.also]
            out += [f"    kind: {o.kind}"]
            if o.kind == "事业单位":
                out += [f"    public_service_class: {'公益一类' if rng.random() < 0.85 else '公益二类'}"]
            if o.slot:
                out += [f"    slot: {o.slot}"]
            if o.standard:
                out += [f"    standard_slot: {o.standard}"]
        out += ["    functions:"] + [f"      - {s(f)}" for f in o.functions]
        if o.kind != "派驻机构":
            adm = rng.randrange(0, 9) if o.kind == "党政工作机构" else 0
            ins = rng.randrange(2, 15)
            out += ["    staffing:", f"      administrative: {adm}", f"      institutional: {ins}"]
            if rng.random() < 0.2:
                out += ["      note: 含政法专项编制" if o.id == "public-security" else "      note: 另有聘用人员"]
            deputies = rng.randrange(1, 4)
            lead = "主任"
            out += ["    leadership:", f"      summary: 1正{deputies}副", "      posts:",
                    f"        - title: {lead}", "          count: 1",
                    f"        - title: 副{lead}", f"          count: {deputies}"]
        out += [f"    address: {county}{t.name}{rng.choice(ROADS)}{rng.randrange(1, 300)}号"
                f"{head}{'政府' if head == '镇' else '办事处'}{rng.randrange(1, 5)}楼",
                f"    hours: {rng.choice(HOURS)}",
                f"    phone: {q(ctx.phone())}"]
        if rng.random() < 0.3:
            out += [f"    email: {t.slug}-{o.id}@example.org"]
        out += [f"    established: {ctx.date('2019-03-01', 900)}"]
        if rng.random() < 0.4:
            desc = (f"{o.name}是{t.name}的{o.kind}。主要职责：\n\n"
                    + "\n".join(f"{i}. {f}；" for i, f in enumerate(o.functions, 1))
                    + f"\n\n办事请先拨打 **{ctx.phone()}** 预约。")
            out += ["    description: " + block(desc, "      ")]
    return "\n".join(out) + "\n"


def _power_pool(rng: random.Random) -> list[tuple[str, str, str]]:
    """(type, field, name) of every power the vocabulary can name, shuffled."""
    by_type: dict[str, list[tuple[str, str, str]]] = {k: [] for k, _ in POWER_TYPES}
    for f in FIELDS:
        by_type["行政处罚"] += [("行政处罚", f.name, f"对{v}的行政处罚") for v in f.violations]
        by_type["行政许可"] += [("行政许可", f.name, p) for p in f.permits]
        by_type["行政检查"] += [("行政检查", f.name, f"对{x}的行政检查") for x in f.inspections]
        by_type["行政强制"] += [("行政强制", f.name, c) for c in f.coercions]
        by_type["行政给付"] += [("行政给付", f.name, b) for b in f.benefits]
        by_type["行政确认"] += [("行政确认", f.name, c) for c in f.confirmations]
        by_type["公共服务"] += [("公共服务", f.name, x) for x in f.services]
    by_type["其他行政权力"] += [("其他行政权力", fld, n) for fld, n in OTHER_POWERS]
    for items in by_type.values():
        rng.shuffle(items)
    return [item for items in by_type.values() for item in items]


def _pick_powers(rng: random.Random, count: int) -> list[tuple[str, str, str, str | None]]:
    """``count`` distinct (type, field, name, sub_item) in proportion to POWER_TYPES."""
    pool = _power_pool(rng)
    by_type: dict[str, list[tuple[str, str, str]]] = {}
    for item in pool:
        by_type.setdefault(item[0], []).append(item)
    chosen: list[tuple[str, str, str, str | None]] = []
    used: dict[str, int] = {}
    for _ in range(count):
        kind = _weighted(rng, POWER_TYPES)
        items = by_type[kind]
        n = used.get(kind, 0)
        used[kind] = n + 1
        base = items[n % len(items)]
        rounds = n // len(items)
        sub = None if rounds == 0 else ("一般情形", "情节较重情形", "首次违法情形", "跨区域情形")[
            (rounds - 1) % 4] + ("" if rounds <= 4 else str(rounds))
        chosen.append((*base, sub))
    order = {k: i for i, (k, _) in enumerate(POWER_TYPES)}
    chosen.sort(key=lambda c: order[c[0]])
    return chosen


def powers_yaml(ctx: Ctx, count: int, offices: list[OfficeSpec]) -> str:
    t, rng = ctx.town, ctx.rng
    county = t.county.name
    known = {o.id for o in offices}
    authority = f"{t.name}人民政府" if t.kind == "镇" else f"{t.name}办事处"
    year = rng.randrange(2021, 2025)
    out = ["# yaml-language-server: $schema=../../../schemas/powers.schema.json",
           f"title: {t.name}赋权事项清单（示例）",
           "approval:",
           f"  title: {county}人民政府关于向镇（街道）赋予部分县级行政权力事项的决定",
           f"  document_number: {ctx.doc_number('政字', year)}",
           f"  date: {year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
           f"effective_from: {year}-{rng.randrange(1, 13):02d}-01",
           "note: " + block("本清单为**合成示例数据**，事项名称取自常见的放权目录，"
                            "编码、电话和文号均为虚构。\n\n如有疑问请拨打 12345。", "  "),
           "powers:"]
    numbers: dict[str, int] = {}
    for kind, field_name, name, sub in _pick_powers(rng, count):
        f = FIELD_BY_NAME[field_name]
        n = numbers[kind] = numbers.get(kind, 0) + 1
        prefix = TYPE_PREFIX[kind]
        enforce = kind in ("行政处罚", "行政检查", "行政强制")
        office = f.town_office if enforce else f.service_office
        if office not in known:
            office = offices[0].id
        out += [f"  - id: {prefix}-{n:04d}",
                f"    code: {q(f'{t.county.code}-{TYPE_CODE[kind]}-{rng.randrange(1, 3000):04d}')}",
                f"    name: {s(name)}"]
        if sub:
            out += [f"    sub_item: {sub}"]
        out += [f"    type: {kind}", f"    field: {field_name}", "    basis:"]
        for law in rng.sample(f.laws, rng.choice((1, 1, 1, 1, 1, 1, 2, 2, 2, 3))):
            out += [f"      - law: {law}", f"        article: {_article(rng)}"]
            if enforce and rng.random() < 0.25 and kind == "行政处罚":
                low = rng.choice((50, 100, 200, 500, 1000, 2000))
                text = (f"违反{_law_self(law)}规定，{name[1:-5]}的，由{field_name}主管部门"
                        f"责令改正，处{low}元以上{low * rng.choice((5, 10, 20))}元以下的罚款。")
                out += [f"        text: {s(text)}"]
        mode = _weighted(rng, DELEGATION_MODES)
        out += [f"    implementing_body: {authority}",
                f"    handling_office: {office}",
                f"    original_department: {county}{f.department}",
                f"    delegation_mode: {mode}",
                f"    delegation_scope: {rng.choice(SCOPES[kind])}"]
        if rng.random() < 0.5:
            out += ["    delegating_act:",
                    "      title: 山东省赋予试点县（市、区）所辖乡镇（街道）行政执法权指导目录",
                    "      document_number: 鲁政字〔2024〕35号"]
        else:
            out += ["    delegating_act:",
                    f"      title: {county}人民政府关于向镇（街道）赋予部分县级行政权力事项的决定",
                    f"      document_number: {ctx.doc_number('政字', year)}",
                    f"      date: {year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"]
        if kind in ("行政许可", "行政确认", "行政给付", "公共服务"):
            legal, promised = rng.choice(TIME_LIMITS)
            out += ["    time_limit:", f"      legal: {legal}", f"      promised: {promised}",
                    f"    fees: {rng.choice(FEES)}"]
        applicants = rng.sample(APPLICANTS, rng.choice((1, 1, 2, 3)))
        if kind in ("行政给付", "行政确认"):
            applicants = ["自然人"]
        out += ["    applicants:"] + [f"      - {a}" for a in applicants]
        if rng.random() < 0.4:
            out += ["    phones:", f"      consult: {q(ctx.phone())}"]
            if rng.random() < 0.5:
                out += [f"      complaint: {q(ctx.phone())}", "      supervise: \"12345\""]
        remedies = REMEDIES["enforce" if enforce else "service"]
        out += [f"    remedies: {s(rng.choice(remedies).format(county=county))}"]
        if enforce and rng.random() < 0.3:
            out += ["    accountability: " + block(rng.choice(ACCOUNTABILITY), "      ")]
        if rng.random() < 0.25:
            where = f"{t.name}{next(o.name for o in offices if o.id == office)}"
            desc = (f"本事项原由{county}{f.department}行使，现{mode}给{authority}，由{where}具体承办。\n\n"
                    f"办理须知：\n\n- 请携带身份证件原件；\n- 可以先拨打 `{ctx.phone()}` 咨询；\n"
                    f"- 也可以在“爱山东”App 上申请。")
            out += ["    description: " + block(desc, "      ")]
        kws = rng.sample(f.keywords, rng.randrange(1, min(4, len(f.keywords)) + 1))
        out += ["    keywords:"] + [f"      - {k}" for k in kws]
        r = rng.random()
        if r < 0.05:
            start = ctx.date("2021-01-01", 700)
            out += ["    status: 已收回", f"    effective_from: {start}",
                    f"    effective_to: {(dt.date.fromisoformat(start) + dt.timedelta(days=rng.randrange(200, 900))).isoformat()}",
                    f"    withdrawn_reason: {rng.choice(WITHDRAWN_REASONS)}"]
        elif r < 0.08:
            out += ["    status: 待生效", f"    effective_from: {ctx.date('2025-01-01', 365)}"]
        elif r < 0.5:
            out += ["    status: 现行"]
        if rng.random() < 0.1:
            out += ["    notes: 本事项实行“镇呼县应”，需要县级部门技术支持的，由镇街发起“吹哨”。"]
    return "\n".join(out) + "\n"


def _duty_pool(rng: random.Random) -> list[tuple[str, str, bool]]:
    """(field, name, cooperative) for every duty the vocabulary can name, shuffled."""
    pool: list[tuple[str, str, bool]] = []
    for f in FIELDS:
        dept = f.department
        pool += [(f.name, d, False) for d in f.duties]
        pool += [(f.name, tpl.format(o=o), False) for o in f.objects for tpl in LEAD_TEMPLATES]
        pool += [(f.name, tpl.format(o=o, d=dept), True) for o in f.objects for tpl in COOP_TEMPLATES]
    rng.shuffle(pool)
    return pool


def duties_yaml(ctx: Ctx, count: int, offices: list[OfficeSpec]) -> str:
    t, rng = ctx.town, ctx.rng
    county = t.county.name
    known = {o.id: o for o in offices}
    roles = ROLES_TOWN if t.kind == "镇" else ROLES_STREET
    year = rng.randrange(2021, 2025)
    out = ["# yaml-language-server: $schema=../../../schemas/duties.schema.json",
           f"title: {t.name}职责任务清单（示例）",
           "approval:",
           f"  title: 关于印发{t.name}属地管理事项主体责任和配合责任清单的通知",
           f"  document_number: {ctx.doc_number('编发', year)}",
           f"  date: {year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
           "duties:"]
    pool = _duty_pool(rng)
    for n in range(count):
        field_name, name, coop = pool[n % len(pool)]
        if n >= len(pool):
            name = f"{name}（第{cn_number(n // len(pool) + 1)}批）"
        f = FIELD_BY_NAME[field_name]
        list_kind = _weighted(rng, DUTY_KINDS)
        if coop and list_kind == "主体责任":
            list_kind = "配合责任"
        elif not coop and list_kind == "配合责任":
            list_kind = "主体责任"
        office = f.duty_office if f.duty_office in known else offices[0].id
        dept = f"{county}{f.department}"
        out += [f"  - id: {'zt' if list_kind in ('主体责任', '基本履职事项') else 'ph'}-{n + 1:04d}",
                f"    list_kind: {list_kind}",
                f"    field: {field_name}",
                f"    name: {s(name)}"]
        obj = rng.choice(f.objects) if f.objects else field_name
        lines = rng.sample(CONTENT_LINES, rng.randrange(2, 5))
        content = "\n".join(f"{i}. {line.format(o=obj, d=dept)}；" for i, line in enumerate(lines, 1))
        if rng.random() < 0.15:
            content += f"\n\n> 遇有紧急情况，先处置、后报告，并第一时间报告{dept}。"
        out += ["    content: " + block(content, "      "),
                f"    lead_office: {office}",
                "    county_departments:",
                f"      - name: {dept}",
                "        role: 主责",
                f"        office: {rng.choice(f.offices)}",
                f"        phone: {q(ctx.phone())}",
                f"        duties: {rng.choice(DEPT_DUTIES)}"]
        for other in rng.sample(FIELDS, rng.randrange(0, 3)):
            if other is f:
                continue
            out += [f"      - name: {county}{other.department}", "        role: 配合"]
            if rng.random() < 0.5:
                out += [f"        office: {rng.choice(other.offices)}",
                        f"        phone: {q(ctx.phone())}"]
        if rng.random() < 0.7:
            out += ["    basis:"]
            for law in rng.sample(f.laws, rng.choice((1, 1, 2))):
                out += [f"      - law: {law}", f"        article: {_article(rng)}"]
        out += [f"    responsible_role: {rng.choice(roles).format(f=field_name, off=known[office].name)}"]
        if rng.random() < 0.3:
            out += [f"    phone: {q(ctx.phone())}"]
        steps = PROCESS_COOP if coop else PROCESS_LEAD
        k = rng.randrange(3, 6)
        start = rng.randrange(0, len(steps) - k + 1)
        out += ["    process:"] + [f"      - {step}" for step in steps[start:start + k]]
        kws = rng.sample(f.keywords, rng.randrange(1, min(3, len(f.keywords)) + 1))
        out += ["    keywords:"] + [f"      - {k_}" for k_ in kws]
        if rng.random() < 0.1:
            out += ["    notes: 镇呼县应事项，县级部门接到镇街“吹哨”后 24 小时内响应。"]
        if list_kind == "上级部门收回事项":
            out += ["    status: 已收回", f"    withdrawn_reason: {rng.choice(WITHDRAWN_REASONS)}"]
        elif rng.random() < 0.2:
            out += ["    status: 现行", f"    effective_from: {year}-{rng.randrange(1, 13):02d}-01"]
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------
# The project
# ---------------------------------------------------------------------------


def _prepare(out_dir: Path, force: bool) -> None:
    """Create ``out_dir`` or empty an earlier synthetic project in it; never touch anything else."""
    if out_dir.exists():
        entries = [e for e in out_dir.iterdir()]
        if entries and not (out_dir / MARKER).is_file() and not force:
            raise FileExistsError(
                f"{out_dir} is not empty and was not made by synthetic.py; "
                "choose another --out (or pass --force to overwrite content/ and schemas)")
        content = out_dir / "content"
        if content.is_dir() and not content.is_symlink():
            shutil.rmtree(content)
        schemas = out_dir / "schemas"
        if schemas.is_symlink() or schemas.is_file():
            schemas.unlink()
        elif schemas.is_dir():
            shutil.rmtree(schemas)
        (out_dir / MARKER).unlink(missing_ok=True)
    out_dir.mkdir(parents=True, exist_ok=True)


def generate_project(out_dir: Path, towns: int, seed: int = 1, powers: int = 100,
                     duties: int = 150, institutions: int = 16, *, counties: int | None = None,
                     copy_schemas: bool = False, force: bool = False) -> dict[str, int]:
    """Write a synthetic project into ``out_dir`` and return its counts.

    Keys of the result: towns, counties, files, bytes, powers, duties, institutions, seed.
    ``out_dir`` must be empty, absent, or an earlier synthetic project (unless ``force``).
    """
    if powers < 1 or duties < 1 or institutions < 1:
        raise ValueError("powers, duties and institutions must each be at least 1")
    out_dir = Path(out_dir)
    county_list, specs = plan_region(towns, counties, seed)
    _prepare(out_dir, force)
    schemas_src = REPO / "schemas"
    if copy_schemas:
        shutil.copytree(schemas_src, out_dir / "schemas")
    else:
        os.symlink(schemas_src, out_dir / "schemas", target_is_directory=True)

    content = out_dir / "content"
    (content / "towns").mkdir(parents=True)
    totals = {"towns": len(specs), "counties": len(county_list), "files": 0, "bytes": 0,
              "powers": 0, "duties": 0, "institutions": 0, "seed": seed}

    def write(path: Path, text: str) -> None:
        data = text.encode("utf-8")
        path.write_bytes(data)
        totals["files"] += 1
        totals["bytes"] += len(data)

    write(content / "region.yaml", region_yaml(county_list))
    by_county: dict[str, list[TownSpec]] = {}
    for spec in specs:
        by_county.setdefault(spec.county.code, []).append(spec)
    for spec in specs:
        ctx = Ctx(spec, seed)
        neighbours = [o for o in by_county[spec.county.code] if o is not spec]
        offices = _office_ids(ctx, institutions)
        folder = content / "towns" / spec.slug
        folder.mkdir()
        write(folder / "town.yaml", town_yaml(ctx, neighbours))
        write(folder / "institutions.yaml", institutions_yaml(ctx, offices, neighbours))
        write(folder / "powers.yaml", powers_yaml(ctx, powers, offices))
        write(folder / "duties.yaml", duties_yaml(ctx, duties, offices))
        totals["powers"] += powers
        totals["duties"] += duties
        totals["institutions"] += institutions

    manifest = {"generator_version": GENERATOR_VERSION,
                "params": {"towns": towns, "seed": seed, "powers": powers, "duties": duties,
                           "institutions": institutions, "counties": counties},
                "counts": totals}
    (out_dir / MARKER).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n",
                                  encoding="utf-8")
    return totals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate a synthetic towncat project.")
    parser.add_argument("--towns", type=int, required=True, help="number of towns (88 city, 1800 province)")
    parser.add_argument("--out", type=Path, required=True, help="project directory to write")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--powers", type=int, default=100, help="powers per town (default 100)")
    parser.add_argument("--duties", type=int, default=150, help="duties per town (default 150)")
    parser.add_argument("--institutions", type=int, default=16,
                        help="institutions per town (default 16: 七办五中心 + 4 派驻机构)")
    parser.add_argument("--counties", type=int, default=None,
                        help="number of counties (default: about 20 towns each, at least 8, at most 99)")
    parser.add_argument("--copy-schemas", action="store_true", help="copy schemas/ instead of symlinking")
    parser.add_argument("--force", action="store_true",
                        help="overwrite content/ and schemas in a non-empty directory not made by this script")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        counts = generate_project(args.out, args.towns, args.seed, args.powers, args.duties,
                                  args.institutions, counties=args.counties,
                                  copy_schemas=args.copy_schemas, force=args.force)
    except (ValueError, FileExistsError) as err:
        print(f"synthetic.py: {err}", file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - started
    print(f"{args.out}: {counts['towns']} towns in {counts['counties']} counties, "
          f"{counts['files']} files, {counts['bytes'] / 1e6:.1f} MB, "
          f"{counts['powers']} powers, {counts['duties']} duties, "
          f"{counts['institutions']} institutions ({elapsed:.1f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
