# /daily and the evening report (bot/routers/daily.py, bot/daily_presenter.py, bot/daily_chart.py)

cmd-daily = 每日统计：/daily [天数]

daily-head = 📊 <b>「{ $unit }」每日统计</b>（近 { $days } 天）
daily-day = { $day }：返回 { $returnees } 人（{ $incidents } 起{ $unknown ->
        [0] {""}
       *[other] ，其中 { $unknown } 起人数待核实
    }）· 集中隔离 { $central } · 居家观察 { $home } · 登记 { $registered }
daily-total = <b>合计</b>：返回 { $returnees } 人（{ $incidents } 起{ $unknown ->
        [0] {""}
       *[other] ，其中 { $unknown } 起人数待核实
    }）· 集中隔离 { $central } · 居家观察 { $home } · 登记 { $registered }
daily-units-head = 按单元（{ $first } 至 { $last }）：
daily-unit = · { $unit }：返回 { $returnees } 人{ $unknown ->
        [0] {""}
       *[other] （另有 { $unknown } 起人数待核实）
    } · 集中隔离 { $central } · 居家观察 { $home } · 登记 { $registered }
daily-unit-own = { $unit }（本级）
daily-units-none = 各单元均无新增。
daily-units-more = ……另有 { $count } 个单元有数
daily-caption = 📈「{ $unit }」近 { $days } 天每日返回人员与隔离
daily-report-head = 📊 <b>{ $day } 每日统计</b>（{ $unit }）
daily-report-today = 今日新增返回人员 <b>{ $returnees }</b> 人（报告 { $incidents } 起{ $unknown ->
        [0] {""}
       *[other] ，其中 { $unknown } 起人数待核实
    }）
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
