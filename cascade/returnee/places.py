"""Where returnees come from: China's provinces and cities, and a few countries.

A report says "从湖南回来, 途经武汉" or "湖北孝感的"; the risk rule is written as
"湖北". So the parser needs to know that 武汉 and 孝感 lie in 湖北, and that
"湖北省" and "湖北" are one place. This table holds all 34 provincial
divisions, every prefecture-level city and every county-level city (2020
division codes), so a report naming a small Hubei city like 汉川 or 仙桃 is still
caught; for the four municipalities, which have no cities, their districts and
counties (重庆万州, 上海浦东), so "重庆万州" is read whole and not as 重庆. It ships as plain data: no dictionary download, no import cost worth
measuring. Short forms that are also everyday words (东方, 合作, 江山, 灯塔 ...)
are indexed only in their full form ("东方市").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cascade.returnee.text import spaced

# Every county-level division (2,800 names), read only to finish a place already
# begun: "湖南邵阳隆回" is 湖南邵阳 and its county, "湖北襄阳卸完货" is not.
_COUNTIES = Path(__file__).with_name("counties.txt")

# province: prefecture-level divisions / county-level cities (full official names).
_TABLE = """
北京市: 东城区 西城区 朝阳区 丰台区 石景山区 海淀区 门头沟区 房山区 通州区 顺义区 昌平区 大兴区 怀柔区 平谷区 密云区 延庆区
天津市: 和平区 河东区 河西区 南开区 河北区 红桥区 东丽区 西青区 津南区 北辰区 武清区 宝坻区 滨海新区 宁河区 静海区 蓟州区
河北省: 石家庄市 唐山市 秦皇岛市 邯郸市 邢台市 保定市 张家口市 承德市 沧州市 廊坊市 衡水市 / 晋州市 新乐市 遵化市 迁安市 武安市 南宫市 沙河市 涿州市 安国市 高碑店市 泊头市 任丘市 黄骅市 河间市 霸州市 三河市 深州市 定州市 辛集市
山西省: 太原市 大同市 阳泉市 长治市 晋城市 朔州市 晋中市 运城市 忻州市 临汾市 吕梁市 / 古交市 潞城市 高平市 介休市 永济市 河津市 原平市 侯马市 霍州市 孝义市 汾阳市
内蒙古自治区: 呼和浩特市 包头市 乌海市 赤峰市 通辽市 鄂尔多斯市 呼伦贝尔市 巴彦淖尔市 乌兰察布市 兴安盟 锡林郭勒盟 阿拉善盟 / 霍林郭勒市 满洲里市 牙克石市 扎兰屯市 额尔古纳市 根河市 丰镇市 乌兰浩特市 阿尔山市 二连浩特市 锡林浩特市
辽宁省: 沈阳市 大连市 鞍山市 抚顺市 本溪市 丹东市 锦州市 营口市 阜新市 辽阳市 盘锦市 铁岭市 朝阳市 葫芦岛市 / 新民市 瓦房店市 庄河市 海城市 东港市 凤城市 凌海市 北镇市 盖州市 大石桥市 灯塔市 调兵山市 开原市 北票市 凌源市 兴城市
吉林省: 长春市 吉林市 四平市 辽源市 通化市 白山市 松原市 白城市 延边朝鲜族自治州 / 榆树市 德惠市 蛟河市 桦甸市 舒兰市 磐石市 公主岭市 双辽市 梅河口市 集安市 临江市 扶余市 洮南市 大安市 延吉市 图们市 敦化市 珲春市 龙井市 和龙市
黑龙江省: 哈尔滨市 齐齐哈尔市 鸡西市 鹤岗市 双鸭山市 大庆市 伊春市 佳木斯市 七台河市 牡丹江市 黑河市 绥化市 大兴安岭地区 / 尚志市 五常市 讷河市 虎林市 密山市 铁力市 同江市 富锦市 抚远市 绥芬河市 海林市 宁安市 穆棱市 东宁市 北安市 五大连池市 安达市 肇东市 海伦市
上海市: 黄浦区 徐汇区 长宁区 静安区 普陀区 虹口区 杨浦区 闵行区 宝山区 嘉定区 浦东新区 金山区 松江区 青浦区 奉贤区 崇明区
江苏省: 南京市 无锡市 徐州市 常州市 苏州市 南通市 连云港市 淮安市 盐城市 扬州市 镇江市 泰州市 宿迁市 / 江阴市 宜兴市 新沂市 邳州市 溧阳市 常熟市 张家港市 昆山市 太仓市 启东市 如皋市 海门市 东台市 仪征市 高邮市 丹阳市 扬中市 句容市 兴化市 靖江市 泰兴市
浙江省: 杭州市 宁波市 温州市 嘉兴市 湖州市 绍兴市 金华市 衢州市 舟山市 台州市 丽水市 / 建德市 临安市 余姚市 慈溪市 奉化市 瑞安市 乐清市 海宁市 平湖市 桐乡市 诸暨市 嵊州市 兰溪市 义乌市 东阳市 永康市 江山市 温岭市 临海市 龙泉市
安徽省: 合肥市 芜湖市 蚌埠市 淮南市 马鞍山市 淮北市 铜陵市 安庆市 黄山市 滁州市 阜阳市 宿州市 六安市 亳州市 池州市 宣城市 / 巢湖市 桐城市 天长市 明光市 界首市 宁国市
福建省: 福州市 厦门市 莆田市 三明市 泉州市 漳州市 南平市 龙岩市 宁德市 / 福清市 长乐市 永安市 石狮市 晋江市 南安市 龙海市 邵武市 武夷山市 建瓯市 漳平市 福安市 福鼎市
江西省: 南昌市 景德镇市 萍乡市 九江市 新余市 鹰潭市 赣州市 吉安市 宜春市 抚州市 上饶市 / 乐平市 瑞昌市 共青城市 庐山市 贵溪市 瑞金市 井冈山市 丰城市 樟树市 高安市 德兴市
山东省: 济南市 青岛市 淄博市 枣庄市 东营市 烟台市 潍坊市 济宁市 泰安市 威海市 日照市 莱芜市 临沂市 德州市 聊城市 滨州市 菏泽市 / 章丘市 胶州市 即墨市 平度市 莱西市 滕州市 龙口市 莱阳市 莱州市 蓬莱市 招远市 栖霞市 海阳市 青州市 诸城市 寿光市 安丘市 高密市 昌邑市 曲阜市 邹城市 新泰市 肥城市 荣成市 乳山市 乐陵市 禹城市 临清市
河南省: 郑州市 开封市 洛阳市 平顶山市 安阳市 鹤壁市 新乡市 焦作市 濮阳市 许昌市 漯河市 三门峡市 南阳市 商丘市 信阳市 周口市 驻马店市 / 巩义市 荥阳市 新密市 新郑市 登封市 偃师市 舞钢市 汝州市 林州市 卫辉市 辉县市 沁阳市 孟州市 禹州市 长葛市 义马市 灵宝市 邓州市 永城市 项城市 济源市
湖北省: 武汉市 黄石市 十堰市 宜昌市 襄阳市 鄂州市 荆门市 孝感市 荆州市 黄冈市 咸宁市 随州市 恩施土家族苗族自治州 / 大冶市 丹江口市 宜都市 当阳市 枝江市 老河口市 枣阳市 宜城市 钟祥市 应城市 安陆市 汉川市 石首市 洪湖市 松滋市 麻城市 武穴市 赤壁市 广水市 恩施市 利川市 仙桃市 潜江市 天门市 神农架林区
湖南省: 长沙市 株洲市 湘潭市 衡阳市 邵阳市 岳阳市 常德市 张家界市 益阳市 郴州市 永州市 怀化市 娄底市 湘西土家族苗族自治州 / 浏阳市 醴陵市 湘乡市 韶山市 耒阳市 常宁市 武冈市 汨罗市 临湘市 津市市 沅江市 资兴市 洪江市 冷水江市 涟源市 吉首市
广东省: 广州市 韶关市 深圳市 珠海市 汕头市 佛山市 江门市 湛江市 茂名市 肇庆市 惠州市 梅州市 汕尾市 河源市 阳江市 清远市 东莞市 中山市 潮州市 揭阳市 云浮市 / 乐昌市 南雄市 台山市 开平市 鹤山市 恩平市 廉江市 雷州市 吴川市 高州市 化州市 信宜市 四会市 兴宁市 陆丰市 阳春市 英德市 连州市 普宁市 罗定市
广西壮族自治区: 南宁市 柳州市 桂林市 梧州市 北海市 防城港市 钦州市 贵港市 玉林市 百色市 贺州市 河池市 来宾市 崇左市 / 岑溪市 东兴市 桂平市 北流市 靖西市 宜州市 合山市 凭祥市
海南省: 海口市 三亚市 三沙市 儋州市 / 五指山市 琼海市 文昌市 万宁市 东方市
重庆市: 万州区 涪陵区 渝中区 大渡口区 江北区 沙坪坝区 九龙坡区 南岸区 北碚区 綦江区 大足区 渝北区 巴南区 黔江区 长寿区 江津区 合川区 永川区 南川区 璧山区 铜梁区 潼南区 荣昌区 开州区 梁平区 武隆区 城口县 丰都县 垫江县 忠县 云阳县 奉节县 巫山县 巫溪县 石柱土家族自治县 秀山土家族苗族自治县 酉阳土家族苗族自治县 彭水苗族土家族自治县
四川省: 成都市 自贡市 攀枝花市 泸州市 德阳市 绵阳市 广元市 遂宁市 内江市 乐山市 南充市 眉山市 宜宾市 广安市 达州市 雅安市 巴中市 资阳市 阿坝藏族羌族自治州 甘孜藏族自治州 凉山彝族自治州 / 都江堰市 彭州市 邛崃市 崇州市 简阳市 广汉市 什邡市 绵竹市 江油市 峨眉山市 阆中市 华蓥市 万源市 马尔康市 康定市 西昌市
贵州省: 贵阳市 六盘水市 遵义市 安顺市 毕节市 铜仁市 黔西南布依族苗族自治州 黔东南苗族侗族自治州 黔南布依族苗族自治州 / 清镇市 赤水市 仁怀市 兴义市 凯里市 都匀市 福泉市
云南省: 昆明市 曲靖市 玉溪市 保山市 昭通市 丽江市 普洱市 临沧市 楚雄彝族自治州 红河哈尼族彝族自治州 文山壮族苗族自治州 西双版纳傣族自治州 大理白族自治州 德宏傣族景颇族自治州 怒江傈僳族自治州 迪庆藏族自治州 / 安宁市 宣威市 腾冲市 楚雄市 个旧市 开远市 蒙自市 弥勒市 文山市 景洪市 大理市 瑞丽市 芒市 泸水市 香格里拉市
西藏自治区: 拉萨市 日喀则市 昌都市 林芝市 山南市 那曲地区 阿里地区
陕西省: 西安市 铜川市 宝鸡市 咸阳市 渭南市 延安市 汉中市 榆林市 安康市 商洛市 / 兴平市 韩城市 华阴市
甘肃省: 兰州市 嘉峪关市 金昌市 白银市 天水市 武威市 张掖市 平凉市 酒泉市 庆阳市 定西市 陇南市 临夏回族自治州 甘南藏族自治州 / 玉门市 敦煌市 临夏市 合作市
青海省: 西宁市 海东市 海北藏族自治州 黄南藏族自治州 海南藏族自治州 果洛藏族自治州 玉树藏族自治州 海西蒙古族藏族自治州 / 玉树市 格尔木市 德令哈市
宁夏回族自治区: 银川市 石嘴山市 吴忠市 固原市 中卫市 / 灵武市 青铜峡市
新疆维吾尔自治区: 乌鲁木齐市 克拉玛依市 吐鲁番市 哈密市 昌吉回族自治州 博尔塔拉蒙古自治州 巴音郭楞蒙古自治州 阿克苏地区 克孜勒苏柯尔克孜自治州 喀什地区 和田地区 伊犁哈萨克自治州 塔城地区 阿勒泰地区 / 昌吉市 阜康市 博乐市 阿拉山口市 库尔勒市 阿克苏市 阿图什市 喀什市 和田市 伊宁市 奎屯市 霍尔果斯市 塔城市 乌苏市 阿勒泰市 石河子市 阿拉尔市 图木舒克市 五家渠市 铁门关市
台湾省: 台北市 新北市 桃园市 台中市 台南市 高雄市
香港特别行政区:
澳门特别行政区:
"""

# Countries that returnees came from in 2020 (markets of Yiwu, outbreaks abroad).
_COUNTRIES = (
    "韩国 日本 意大利 伊朗 美国 英国 法国 德国 西班牙 葡萄牙 荷兰 比利时 瑞士 奥地利 波兰"
    " 俄罗斯 乌克兰 土耳其 以色列 沙特 阿联酋 迪拜 埃及 也门 伊拉克 叙利亚 约旦 阿富汗"
    " 巴基斯坦 印度 孟加拉 泰国 越南 老挝 缅甸 柬埔寨 马来西亚 新加坡 印度尼西亚 印尼"
    " 菲律宾 澳大利亚 新西兰 加拿大 巴西 墨西哥 阿根廷 智利 尼日利亚 肯尼亚 南非"
    " 埃塞俄比亚 哈萨克斯坦"
)
_COUNTRY_ALIASES = {"迪拜": "阿联酋", "印尼": "印度尼西亚"}
# Every country as written or read (迪拜 is read as itself and stands for 阿联酋).
COUNTRIES = frozenset(_COUNTRIES.split()) | frozenset(_COUNTRY_ALIASES.values())

# Short forms that are ordinary words or name two places: only the full form counts.
_AMBIGUOUS_SHORT = frozenset(
    "东方 合作 江山 安宁 灯塔 长乐 天长 大安 安国 永安 新民 和龙 龙井 集安 福安 北安 明光"
    " 开平 兴化 高平 海城 兴城 宁安 安达 阿里 白山 朝阳 四会 信宜 东港 合山 三沙 津市 长治"
    " 玉门 共青城 义马 芒"
    # municipal districts named like ordinary words or places elsewhere
    " 江北 南岸 长寿 城口 石柱 秀山 东城 西城 大兴 长宁 静安 金山 宝山 和平 河东 河西 南开"
    " 红桥 北辰 宁河 静海 滨海 东丽 西青 津南 武清 松江 青浦 普陀 黄浦 丰台 房山 平谷".split()
)
_ETHNIC = (
    "土家族 苗族 朝鲜族 藏族 羌族 彝族 布依族 侗族 哈尼族 壮族 傣族 白族 景颇族 傈僳族"
    " 回族 维吾尔 蒙古族 蒙古 柯尔克孜 哈萨克"
).split()
_PROVINCE_SHORT = {
    "内蒙古自治区": "内蒙古",
    "广西壮族自治区": "广西",
    "西藏自治区": "西藏",
    "宁夏回族自治区": "宁夏",
    "新疆维吾尔自治区": "新疆",
    "香港特别行政区": "香港",
    "澳门特别行政区": "澳门",
}


@dataclass(frozen=True)
class Place:
    """One known place: `canonical` is its short name, `province` the short province name."""

    canonical: str
    province: str | None  # None for a country
    kind: str  # "province", "city" or "country"


@dataclass(frozen=True)
class PlaceHit:
    start: int
    end: int
    text: str
    place: Place


def _short_city(full: str) -> str:
    name = full
    if name.endswith(("自治州", "自治县")):
        name = name[: -len("自治州")]
        stripped = True
        while stripped:
            stripped = False
            for ethnic in _ETHNIC:
                if name.endswith(ethnic) and len(name) > len(ethnic) + 1:
                    name = name[: -len(ethnic)]
                    stripped = True
        return name
    for suffix in ("地区", "林区", "新区", "盟", "市", "区", "县"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


def _short_province(full: str) -> str:
    if full in _PROVINCE_SHORT:
        return _PROVINCE_SHORT[full]
    return full[:-1] if full[-1] in "省市" else full


@cache
def _index() -> dict[str, Place]:
    names: dict[str, Place] = {}
    short_owner: dict[str, set[str]] = {}
    pending_short: list[tuple[str, Place]] = []
    for line in _TABLE.strip().splitlines():
        province_full, _, rest = line.partition(":")
        province = _short_province(province_full.strip())
        here = Place(province, province, "province")
        names[province_full.strip()] = here
        names[province] = here
        cities = rest.replace("/", " ").split()
        for full in cities:
            short = _short_city(full)
            place = Place(short, province, "city")
            names.setdefault(full, place)
            pending_short.append((short, place))
            short_owner.setdefault(short, set()).add(province)
    for country in _COUNTRIES.split():
        canonical = _COUNTRY_ALIASES.get(country, country)
        names[country] = Place(canonical, None, "country")
    for short, place in pending_short:
        if len(short) < 2 or short in _AMBIGUOUS_SHORT or short in names:
            continue  # a province name (吉林, 海南) or a word keeps its first meaning
        if len(short_owner[short]) > 1:
            continue  # the same short name in two provinces: only full names count
        names[short] = place
    return names


@cache
def _lengths_by_first() -> dict[str, tuple[int, ...]]:
    lengths: dict[str, set[int]] = {}
    for name in _index():
        lengths.setdefault(name[0], set()).add(len(name))
    return {first: tuple(sorted(found, reverse=True)) for first, found in lengths.items()}


@cache
def _county_index() -> dict[str, frozenset[str]]:
    """County names, full (隆回县) and short (隆回), each with the provinces that have one."""
    names: dict[str, set[str]] = {}
    for line in _COUNTIES.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        province_full, _, rest = line.partition(":")
        province = _short_province(province_full.strip())
        for full in rest.split():
            names.setdefault(full, set()).add(province)
            short = _short_city(full)
            if len(short) >= 2 and short not in _AMBIGUOUS_SHORT:
                names.setdefault(short, set()).add(province)
    return {name: frozenset(owners) for name, owners in names.items()}


@cache
def _zhou_prefectures() -> frozenset[str]:
    names: set[str] = set()
    for line in _TABLE.strip().splitlines():
        for full in line.partition(":")[2].replace("/", " ").split():
            if full.endswith("自治州"):
                names.add(_short_city(full))
    return frozenset(names)


def named_with_zhou(canonical: str) -> bool:
    """Whether a city is an autonomous prefecture, said with 州 ("黔南州", "恩施州")."""
    return canonical in _zhou_prefectures()


def county_at(text: str, start: int, province: str | None) -> str | None:
    """The county of `province` named at `start` of `text`, longest first ("隆回县", "隆回")."""
    if province is None:
        return None
    names = _county_index()
    for length in (6, 5, 4, 3, 2):
        piece = text[start : start + length]
        if len(piece) == length and province in names.get(piece, ()):
            return piece
    return None


def county_follows(work: str, origin: str, between: str) -> bool:
    """Whether a county of the origin's province follows the origin's last place in
    `work`, parted from it by `between` (a pattern that takes at least one character:
    a space in "江苏 常州 武进", a filler in "河南那个信阳的光山县"), so the origin read
    stops short of the county the message names."""
    places = find_places(origin)
    if not places or places[-1].place.province is None:
        return False
    last = places[-1]
    for found in re.finditer(rf"{spaced(last.text)}(?:{between})", work):
        if county_at(work, found.end(), last.place.province):
            return True
    return False


def lookup(name: str) -> Place | None:
    """The place a whole string names ("湖北省", "武汉", "韩国"), if it is one."""
    return _index().get(name.strip())


def find_places(text: str) -> list[PlaceHit]:
    """Known place names in `text`, left to right, longest name at each position.

    A dictionary probe per position and length: a 1,500-way regex alternation
    costs a third of a second to compile, this costs nothing at import.
    """
    names = _index()
    by_first = _lengths_by_first()
    hits: list[PlaceHit] = []
    i = 0
    while i < len(text):
        for length in by_first.get(text[i], ()):
            piece = text[i : i + length]
            if len(piece) == length and piece in names:
                hits.append(PlaceHit(i, i + length, piece, names[piece]))
                i += length
                break
        else:
            i += 1
    return hits


def places_in(name: str) -> list[Place]:
    """The places a place string is made of: "湖北孝感" → [湖北, 孝感]."""
    whole = lookup(name)
    if whole is not None:
        return [whole]
    return [hit.place for hit in find_places(name)]


def contains(region: str, place: str) -> bool:
    """Whether the place string `place` lies inside `region` ("湖北" contains "武汉").

    A place named only by its province is not inside a city region: "湖北" is not
    known to be "武汉". A region the table does not know is matched as text.
    """
    region_places = places_in(region)
    if not region_places:
        key = region.strip().rstrip("省市县区")
        return bool(key) and key in place
    target = region_places[-1]  # the most specific part: "浙江温州" → 温州
    for part in places_in(place):
        if part.canonical == target.canonical:
            return True
        if target.kind == "province" and part.province == target.canonical:
            return True
        if (
            target.kind == "country"
            and part.kind == "country"
            and part.canonical == target.canonical
        ):
            return True
    return False


def apart(first: str, second: str) -> bool:
    """Whether two place names name different places (neither lies in the other)."""
    return not contains(first, second) and not contains(second, first)


def origin_city(origin: str | None, stop: str) -> bool:
    """Whether `stop` is the city the journey began in ("山西运城" and "运城"): a leg
    from there or a stay there before leaving (已在咸宁隔离14天) is no stop on the way."""
    if origin is None:
        return False
    start, stops = places_in(origin), places_in(stop)
    return (
        bool(start)
        and len(stops) == 1
        and start[-1].kind != "province"
        and stops[0].canonical == start[-1].canonical
    )
