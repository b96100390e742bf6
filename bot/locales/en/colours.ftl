# Unit colours and /map: /colour, the notices of a change, /tree's marks, the map (bot/routers/colours.py, bot/colour_presenter.py, bot/maps.py)

cmd-colour = Set a unit's colour: /colour CODE red|yellow|green REASON
cmd-map = Map of the units' colours (picture): /map [CODE]

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

## /map

map-title = { $unit }: unit status map ({ $units } units)
map-subtitle = As of { $time } (Beijing time) · one cell per unit, coloured by the worst colour of the unit and those below it
map-legend-red = Red: risk { $count }
map-legend-yellow = Yellow: abnormal personnel { $count }
map-legend-green = Green: safe { $count }
map-hidden = { $count } more units not drawn (red { $red }, yellow { $yellow })
map-caption = 🗺 Unit status map of "{ $unit }": 🔴 { $red } · 🟡 { $yellow } · 🟢 { $green }
