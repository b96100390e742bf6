# Unit colours, /tree, /map, /daily and /incidents (bot/colour_presenter.py, bot/maps.py, bot/daily_presenter.py, bot/incident_presenter.py)

cmd-colour = Set a unit's colour: /colour CODE red|yellow|green REASON
cmd-map = Map of the units' colours (picture): /map [CODE]
cmd-daily = Daily tallies: /daily [DAYS]
cmd-incidents = Returnee incidents: /incidents [open|today]

## Colours

colour-name = { $colour ->
    [red] red
    [yellow] yellow
   *[green] green
}
colour-counts = · 🔴{ $red } 🟡{ $yellow } 🟢{ $green }
colour-tree-summary = { $mark } All { $total } units: 🔴 red { $red } · 🟡 yellow { $yellow } · 🟢 green { $green }
colour-setter-hq = an HQ administrator
colour-notice = { $mark } Your superior "{ $setter }" set this unit "{ $unit }" to { $colour }. Reason: { $reason }
colour-notice-cleared = 🟢 Your superior "{ $setter }" cleared the colour of this unit "{ $unit }". { $reason }
colour-set = { $mark } "{ $unit }" is now { $colour }. Reason: { $reason }
colour-cleared = 🟢 The colour of "{ $unit }" is cleared. { $reason }
colour-cleared-reason = Note: { $reason }
colour-still = ("{ $unit }" still has { $count } open incident(s) and shows { $colour }.)

error-colour-usage = Usage: /colour CODE red|yellow|green REASON, e.g. /colour ts-01-03 red returnees from Hubei found. green clears it.
error-colour-bad = "{ $value }" is not a colour: write red, yellow or green.
error-colour-reason-missing = Setting { $colour } needs a reason, e.g. /colour ts-01-03 { $colour } returnees from Hubei found.
error-colour-reason-too-long = The reason is too long (at most { $max } characters).
error-colour-unknown-unit = There is no unit with the code or name "{ $code }".
error-colour-not-superior = Only the commander or a deputy of a unit above "{ $unit }", or an HQ administrator, can set its colour.
error-scope-outside = "{ $target }" is not under "{ $unit }".

## /map

map-title = { $unit }: unit status map ({ $units } units)
map-subtitle = As of { $time } (Beijing time) · one cell per unit, coloured by the worst colour of the unit and those below it
map-legend-red = Red: risk { $count }
map-legend-yellow = Yellow: abnormal personnel { $count }
map-legend-green = Green: safe { $count }
map-hidden = { $count } more units not drawn (red { $red }, yellow { $yellow })
map-caption = 🗺 Unit status map of "{ $unit }": 🔴 { $red } · 🟡 { $yellow } · 🟢 { $green }

## /daily and the evening report

daily-head = 📊 <b>Daily tallies of "{ $unit }"</b> (last { $days } days)
daily-day = { $day }: { $returnees } returnees ({ $incidents } reports) · central isolation { $central } · home observation { $home } · registered { $registered }
daily-total = <b>Total</b>: { $returnees } returnees ({ $incidents } reports) · central isolation { $central } · home observation { $home } · registered { $registered }
daily-units-head = By unit ({ $first } to { $last }):
daily-unit = · { $unit }: { $returnees } returnees · central isolation { $central } · home observation { $home } · registered { $registered }
daily-unit-own = { $unit } (itself)
daily-units-none = No unit has anything new.
daily-units-more = … and { $count } more units with numbers
daily-caption = 📈 Daily returnees and isolations of "{ $unit }", last { $days } days
daily-report-head = 📊 <b>Daily tally for { $day }</b> ({ $unit })
daily-report-today = New returnees today: <b>{ $returnees }</b> ({ $incidents } reports)
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

## /incidents

inclist-head = 📋 { $which ->
    [open] Open
    [today] Today's
   *[all] Recent
} returnee incidents of "{ $unit }", { $count } in all (🔴 high risk · 🟡 other):
inclist-none = "{ $unit }" has no { $which ->
    [open] open returnee incidents
    [today] returnee incidents reported today
   *[all] returnee incidents
}.
inclist-line = { $mark } #{ $id } { $unit } · { $people } · { $route } · { $state } · { $age } ago{ $escalated }
inclist-people = { $count } people
inclist-people-unknown = number to be checked
inclist-route = { $origin }{ $via }
inclist-via = { " " }(via { $places })
inclist-origin-unknown = origin to be checked
inclist-state-open = awaiting a decision
inclist-state-disposed = decided: { $disposition }, to be carried out
inclist-state-done = carried out: { $disposition }
inclist-disposition-register = register at the service station
inclist-disposition-home = home observation
inclist-disposition-central = central isolation
inclist-disposition-none = no action needed
inclist-escalated = { " " }· ⏫ escalated { $count } level(s)
inclist-more = … and { $count } more not listed
inclist-age-minutes = { $minutes }m
inclist-age-hours = { $hours }h{ $minutes }m
inclist-age-days = { $days }d{ $hours }h

error-inclist-usage = Usage: /incidents [open|today]: open lists only open ones, today only today's reports; without it, the newest.
