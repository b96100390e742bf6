# /export, /chart, /stats (bot/routers/order_stats.py, bot/stats_presenter.py)

cmd-export = 导出明细（CSV）：/export [指令号]
cmd-chart = 完成曲线（图片）：/chart [指令号]
cmd-stats = 近期统计：/stats [天数]

export-caption = 📄 指令 #{ $order } 明细（{ $unit }范围）：{ $count } 个单元

chart-caption = 📈 指令 #{ $order } 完成曲线（{ $unit }范围）：完成 { $done }/{ $total }（{ $percent }%）
chart-title = 指令 #{ $order } 完成进度
chart-title-unit = { $title }（{ $unit }）
chart-xlabel = 下达后分钟数
chart-ylabel = 已完成单元（%）
chart-deadline = 时限
chart-total = 合计（{ $done }/{ $total }）
chart-level = { $level ->
    [0] 指挥部
   *[other] { $level }级
}（{ $done }/{ $total }）

stats-none = 📊 近 { $days } 天「{ $unit }」没有收到或发出过指令。
stats-head = 📊 <b>近 { $days } 天统计</b>（{ $unit }）
stats-orders = 指令 { $orders } 条，全部完成 { $finished } 条
stats-median = 完成 100% 用时（中位数）：{ $time }
stats-on-time = 按时完成：{ $on_time }/{ $decided }（{ $percent }%）
stats-on-time-none = 按时完成：暂无已到期的指令
stats-slowest-head = 回复最慢的单元（回复用时中位数）：
stats-slowest = { $rank }. { $unit }（{ $level }）：{ $time }，回复 { $answered }/{ $asked }
stats-no-answer = 未回复
stats-truncated = （只查看了最近的 { $count } 条指令）

error-bad-days = 天数「{ $value }」不对：请写 1 到 { $max } 之间的整数，例如 /stats 7。
