# Unit colours and /map: /colour, the notices of a change, /tree's marks, the map (bot/routers/colours.py, bot/colour_presenter.py, bot/maps.py)

cmd-colour = 设置单元颜色：/colour 单元代码 red|yellow|green 原因
cmd-map = 单元状态图（图片）：/map [单元代码]

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

## /map

map-title = { $unit } 单元状态图（{ $units } 个单元）
map-subtitle = 截至 { $time }（北京时间）· 每格一个单元，颜色为该单元及其下级中最严重的
map-legend-red = 红：有风险 { $count }
map-legend-yellow = 黄：有异常人员 { $count }
map-legend-green = 绿：安全 { $count }
map-hidden = 另有 { $count } 个单元未画出（其中红 { $red }、黄 { $yellow }）
map-caption = 🗺「{ $unit }」单元状态图：🔴 { $red } · 🟡 { $yellow } · 🟢 { $green }
