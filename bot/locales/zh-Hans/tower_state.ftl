# Unit colours, /tree, /map, /daily and /incidents (bot/colour_presenter.py, bot/maps.py, bot/daily_presenter.py, bot/incident_presenter.py)

cmd-colour = 设置单元颜色：/colour 单元代码 red|yellow|green 原因
cmd-map = 单元状态图（图片）：/map [单元代码]
cmd-daily = 每日统计：/daily [天数]
cmd-incidents = 返回人员事件：/incidents [open|today]

## Colours

colour-name = { $colour ->
    [red] 红色
    [yellow] 黄色
   *[green] 绿色
}
colour-counts = · 🔴{ $red } 🟡{ $yellow } 🟢{ $green }
colour-tree-summary = { $mark } 全部 { $total } 个单元：🔴 红 { $red } · 🟡 黄 { $yellow } · 🟢 绿 { $green }
colour-setter-hq = 指挥部管理员
colour-notice = { $mark } 上级「{ $setter }」将本单元「{ $unit }」设为{ $colour }。原因：{ $reason }
colour-notice-cleared = 🟢 上级「{ $setter }」已解除本单元「{ $unit }」的颜色标记。{ $reason }
colour-set = { $mark } 已将「{ $unit }」设为{ $colour }。原因：{ $reason }
colour-cleared = 🟢 已解除「{ $unit }」的颜色标记。{ $reason }
colour-cleared-reason = 说明：{ $reason }
colour-still = （「{ $unit }」仍有 { $count } 起未结事件，仍显示为{ $colour }。）

error-colour-usage = 格式：/colour 单元代码 red|yellow|green 原因，例如 /colour ts-01-03 red 发现湖北返回人员。设为 green 即解除。
error-colour-bad = 颜色「{ $value }」不对：请写 red（红）、yellow（黄）或 green（绿）。
error-colour-reason-missing = 设为{ $colour ->
    [red] 红色
   *[other] 黄色
}需要写明原因，例如 /colour ts-01-03 { $colour } 发现湖北返回人员。
error-colour-reason-too-long = 原因太长（最多 { $max } 字）。
error-colour-unknown-unit = 没有代码或名称为「{ $code }」的单元。
error-colour-not-superior = 只有「{ $unit }」上级单元的指挥长、副指挥长或指挥部管理员可以设置它的颜色。
error-scope-outside = 「{ $target }」不在「{ $unit }」的范围内。

## /map

map-title = { $unit } 单元状态图（{ $units } 个单元）
map-subtitle = 截至 { $time }（北京时间）· 每格一个单元，颜色为该单元及其下级中最严重的
map-legend-red = 红：有风险 { $count }
map-legend-yellow = 黄：有异常人员 { $count }
map-legend-green = 绿：安全 { $count }
map-hidden = 另有 { $count } 个单元未画出（其中红 { $red }、黄 { $yellow }）
map-caption = 🗺「{ $unit }」单元状态图：🔴 { $red } · 🟡 { $yellow } · 🟢 { $green }

## /daily and the evening report

daily-head = 📊 <b>「{ $unit }」每日统计</b>（近 { $days } 天）
daily-day = { $day }：返回 { $returnees } 人（{ $incidents } 起）· 集中隔离 { $central } · 居家观察 { $home } · 登记 { $registered }
daily-total = <b>合计</b>：返回 { $returnees } 人（{ $incidents } 起）· 集中隔离 { $central } · 居家观察 { $home } · 登记 { $registered }
daily-units-head = 按单元（{ $first } 至 { $last }）：
daily-unit = · { $unit }：返回 { $returnees } 人 · 集中隔离 { $central } · 居家观察 { $home } · 登记 { $registered }
daily-unit-own = { $unit }（本级）
daily-units-none = 各单元均无新增。
daily-units-more = ……另有 { $count } 个单元有数
daily-caption = 📈「{ $unit }」近 { $days } 天每日返回人员与隔离
daily-report-head = 📊 <b>{ $day } 每日统计</b>（{ $unit }）
daily-report-today = 今日新增返回人员 <b>{ $returnees }</b> 人（报告 { $incidents } 起）
daily-report-isolation = 今日集中隔离 { $central } 人 · 居家观察 { $home } 人 · 服务站登记 { $registered } 人
daily-report-change = 较昨日：返回人员 { $returnees }，集中隔离 { $central }
daily-report-trend = 近 { $days } 天返回人员：{ $trend }
daily-report-units-head = 今日按单元：
daily-chart-title = 「{ $unit }」每日返回人员与隔离
daily-chart-returnees = 新增返回人员
daily-chart-central = 集中隔离
daily-chart-home = 居家观察
daily-chart-registered = 服务站登记
daily-chart-ylabel = 人数
daily-chart-xlabel = 日期

error-daily-bad-days = 天数「{ $value }」不对：请写 1 到 { $max } 之间的整数，例如 /daily 7。

## /incidents

inclist-head = 📋「{ $unit }」{ $which ->
    [open] 未结的
    [today] 今日的
   *[all] 最近的
}返回人员事件，共 { $count } 起（🔴 高风险 · 🟡 一般）：
inclist-none = 「{ $unit }」没有{ $which ->
    [open] 未结的
    [today] 今日的
   *[all] 任何
}返回人员事件。
inclist-line = { $mark } #{ $id } { $unit } · { $people } · { $route } · { $state } · { $age }前{ $escalated }
inclist-people = { $count } 人
inclist-people-unknown = 人数待核实
inclist-route = { $origin }{ $via }
inclist-via = （途经 { $places }）
inclist-origin-unknown = 来处待核实
inclist-state-open = 待处置
inclist-state-disposed = 已定：{ $disposition }，待落实
inclist-state-done = 已落实：{ $disposition }
inclist-disposition-register = 服务站登记
inclist-disposition-home = 居家观察
inclist-disposition-central = 集中隔离
inclist-disposition-none = 无需处置
inclist-escalated = { " " }· ⏫ 已上报 { $count } 级
inclist-more = ……另有 { $count } 起未列出
inclist-age-minutes = { $minutes } 分钟
inclist-age-hours = { $hours } 小时 { $minutes } 分钟
inclist-age-days = { $days } 天 { $hours } 小时

error-inclist-usage = 格式：/incidents [open|today]：open 只看未结的，today 只看今天报告的，不写则看最近的。
