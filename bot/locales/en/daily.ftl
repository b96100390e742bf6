# /daily and the evening report (bot/routers/daily.py, bot/daily_presenter.py, bot/daily_chart.py)

cmd-daily = Daily tallies: /daily [DAYS]

daily-head = 📊 <b>Daily tallies of "{ $unit }"</b> (last { $days } days)
daily-day = { $day }: { $returnees } returnees ({ $incidents ->
        [one] 1 report
       *[other] { $incidents } reports
    }{ $unknown ->
        [0] {""}
       *[other] , { $unknown } without a count yet
    }) · central isolation { $central } · home observation { $home } · registered { $registered }
daily-total = <b>Total</b>: { $returnees } returnees ({ $incidents ->
        [one] 1 report
       *[other] { $incidents } reports
    }{ $unknown ->
        [0] {""}
       *[other] , { $unknown } without a count yet
    }) · central isolation { $central } · home observation { $home } · registered { $registered }
daily-units-head = By unit ({ $first } to { $last }):
daily-unit = · { $unit }: { $returnees } returnees{ $unknown ->
        [0] {""}
       *[other] { " " }({ $unknown } reports without a count yet)
    } · central isolation { $central } · home observation { $home } · registered { $registered }
daily-unit-own = { $unit } (itself)
daily-units-none = No unit has anything new.
daily-units-more = … and { $count } more units with numbers
daily-caption = 📈 Daily returnees and isolations of "{ $unit }", last { $days } days
daily-report-head = 📊 <b>Daily tally for { $day }</b> ({ $unit })
daily-report-today = New returnees today: <b>{ $returnees }</b> ({ $incidents ->
        [one] 1 report
       *[other] { $incidents } reports
    }{ $unknown ->
        [0] {""}
       *[other] , { $unknown } without a count yet
    })
daily-report-isolation = Today: central isolation { $central } · home observation { $home } · registered at the service station { $registered }
daily-report-change = Since yesterday: returnees { $returnees }, central isolation { $central }
daily-report-trend = Returnees, last { $days } days: { $trend }
daily-report-units-head = Today by unit:
daily-chart-title = Daily returnees and isolations: { $unit }
daily-chart-returnees = New returnees
daily-chart-central = Central isolation
daily-chart-home = Home observation
daily-chart-registered = Registered
daily-chart-ylabel = People
daily-chart-xlabel = Date

error-daily-bad-days = "{ $value }" is not a number of days: write a whole number from 1 to { $max }, e.g. /daily 7.
