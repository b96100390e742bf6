# /export, /chart, /stats (bot/routers/order_stats.py, bot/stats_presenter.py)

cmd-export = Export the details (CSV): /export [order]
cmd-chart = Completion chart (picture): /chart [order]
cmd-stats = Recent statistics: /stats [days]

export-caption = 📄 Order #{ $order } details ({ $unit } and below): { $count ->
        [one] 1 unit
       *[other] { $count } units
    }

chart-caption = 📈 Order #{ $order } completion ({ $unit } and below): { $done }/{ $total } done ({ $percent }%)
chart-title = Order #{ $order }: units done
chart-title-unit = { $title } ({ $unit })
chart-xlabel = minutes since issued
chart-ylabel = units done (%)
chart-deadline = deadline
chart-total = Total ({ $done }/{ $total })
chart-level = { $level ->
    [0] HQ
   *[other] Level { $level }
} ({ $done }/{ $total })

stats-none = 📊 { $unit } issued or received no orders in the last { $days } days.
stats-head = 📊 <b>Last { $days } days</b> ({ $unit })
stats-orders = Orders: { $orders }, fully done: { $finished }
stats-median = Time to 100% (median): { $time }
stats-on-time = Done within the deadline: { $on_time }/{ $decided } ({ $percent }%)
stats-on-time-none = Done within the deadline: no order has reached its deadline yet
stats-slowest-head = Slowest units (median answer time):
stats-slowest = { $rank }. { $unit } ({ $level }): { $time }, answered { $answered }/{ $asked }
stats-no-answer = no answer
stats-truncated = (only the newest { $count } orders were looked at)

error-bad-days = “{ $value }” is not a number of days: write a whole number from 1 to { $max }, e.g. /stats 7.
