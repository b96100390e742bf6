# Tower bot: English

kind-notice = notice
kind-count = count
kind-list = list

cmd-order = Issue an order: /order [duration] [notice|count|list] text
cmd-report = Report: /report [order] value
cmd-status = Progress: /status [order]
cmd-pending = Units not done: /pending [order]
cmd-cancel = Cancel an order: /cancel [order]
cmd-whoami = My units and chain of command
cmd-help = How to use the bot

order-copy =
    📢 <b>Order #{ $order }</b> ({ $kind })
    From: { $issuer }
    { $text }

    ⏰ Due { $deadline } (within { $duration })
    { $how }
how-notice = The unit's commander presses "Received".
how-value-below = The unit's commander presses "Received"; numbers come from the units below and are summed automatically.
how-list-below = The unit's commander presses "Received"; lists come from the units below and are merged automatically.
how-count = Commander: <b>reply to this message</b> with a number, or send /report { $order } NUMBER.
how-list = Commander: <b>reply to this message</b> with the list, one item per line, or send /report { $order } LIST.
button-ack = ✅ Received
button-acked = ✅ Received · { $who } { $clock }

order-issued =
    ✅ Order #{ $order } issued ({ $kind }, within { $duration }, due { $deadline })
    Sent to { $targets ->
        [one] 1 unit
       *[other] { $targets } units
    }: { $levels }
    /status shows progress, /pending the units not done.
level-count = level { $level }: { $count }
level-name = { $level ->
    [0] HQ
   *[other] level { $level }
}

ack-done = Received, thank you!
ack-again = Your unit has already confirmed.
ack-needs-value = Received. Please reply to the order message with the { $kind }.

answer-count = ✅ Recorded for "{ $unit }": { $value }{ $late }
answer-list = ✅ Recorded list of { $count ->
        [one] 1 item
       *[other] { $count } items
    } for "{ $unit }": { $items }{ $late }
answer-list-none = ✅ Recorded for "{ $unit }": none (a list of 0 items){ $late }
answer-list-more = … { $count } in all
answer-list-ask = ❓ The "{ $mark }" in "{ $entry }" separates { $count } parts: { $count } items, or 1?
button-list-split = Split into { $count }
button-list-keep = Count as 1
list-split-done = Recorded as { $count }
error-list-split-stale = This list has changed since; the button no longer applies. Report again to correct it.
answer-replaced = { " " }(corrected; this value replaces the earlier one)
answer-late = { " " }(after the deadline: counted and marked late)

unit-done =
    🎉 Order #{ $order }: this unit and all { $children } sub-units are done. { $total }
child-done = ☑️ Order #{ $order }: "{ $unit }" and all its sub-units are done. { $total }
total-corrected = ✏️ Order #{ $order }: { $own ->
        [yes] this unit's
       *[no] "{ $unit }"
    } total corrected: { $old } → <b>{ $new }</b> (corrected by "{ $by }")
children-done = ☑️ Order #{ $order }: { $count ->
        [one] this unit and all its sub-units are
       *[other] these { $count } units and all their sub-units are
    } done:
children-done-line = · "{ $unit }" { $total }
total-count = Total <b>{ $value }</b>.
total-list = List total <b>{ $value }</b> { $value ->
        [one] item
       *[other] items
    }.

final-report =
    📊 <b>Order #{ $order } { $title }</b>
    { $text }
    Done { $done }/{ $total } ({ $percent }%) · accuracy { $accuracy }
    { $value }Time: first answer { $first } · 50% { $t50 } · 90% { $t90 } · 100% { $t100 }
    Per level: { $levels }
    { $late }
report-total-count = Total: <b>{ $value }</b> (sums across levels { $consistent })
report-total-list = List: <b>{ $value }</b> { $value ->
        [one] item
       *[other] items
    } ({ $distinct } distinct)
consistent-yes = consistent
consistent-no = inconsistent, please check
report-late = Late units: { $units }
report-late-none = No late units.
report-pending = Not done: { $units }
report-pending-group = { $parent } ({ $units })
report-pending-separator = ;{" "}
report-more = and { $count } more

report-cancelled-by = Cancelled by { $who }
cancel-done = ⛔ Order #{ $order } is cancelled; { $count ->
        [one] 1 unit
       *[other] { $count } units
    } not done { $count ->
        [one] was
       *[other] were
    } told. The report went to the group of "{ $issuer }".
merged-head = 📋 Order #{ $order } merged list ({ $count } distinct items; reporting units in brackets):
merged-line = · { $text } ({ $units })
merged-file = 📋 Order #{ $order } merged list: { $count } distinct items, attached as a file (each with its reporting units).
merged-masked = (Names and house numbers are hidden in the group; the full list was sent privately to the issuer. Not received? Open a private chat with this bot, then send /export { $order }.)
merged-col-item = item
merged-col-units = reported by
cancelled-copy = ⛔ Order #{ $order } was cancelled; no answer needed.

status =
    📈 <b>Order #{ $order }</b> ({ $kind }) { $state }
    { $text }
    Done { $done }/{ $total } ({ $percent }%)
    { $levels }
    { $value }Elapsed { $elapsed } · { $remaining }
status-level = { $level }: { $done }/{ $total }
status-open = open
status-done = done
status-cancelled = cancelled
status-remaining = { $time } left
status-overdue = past the deadline
status-total-count = Total so far: <b>{ $value }</b>
status-total-list = List so far: <b>{ $value }</b> { $value ->
        [one] item
       *[other] items
    }

pending-none = ✅ Order #{ $order }: everything in this unit's range is done.
pending-head = ⏳ Order #{ $order }: { $count ->
        [one] 1 unit
       *[other] { $count } units
    } not done:
pending-group = <b>{ $parent }</b>:
pending-unit = · { $unit } ({ $commander })
pending-more = … and { $count } more not listed

whoami-none = You are not in any unit yet. Ask your commander to add you to the tower.
whoami-seat = <b>{ $unit }</b> ({ $level }, { $position })
whoami-chain = Chain of command: { $chain }
position-commander = commander
position-deputy = deputy
position-member = member

help =
    <b>Tower bot</b>: orders go down the tower group by group, answers come back up summed.
    /order 15m count Count non-locals — issue an order (default 15m; kinds: notice, count, list)
    /order — a step-by-step form
    Reply to an order message — report a number or a list
    /report ORDER VALUE — report
    /status [ORDER] — progress
    /pending [ORDER] — units not done
    /cancel [ORDER] — cancel an order
    /tree — units below and their groups
    /chart [ORDER] — completion chart; /export [ORDER] — CSV; /stats [DAYS] — statistics
    /invite — links to join groups and register
    /bind CODE — an HQ admin binds this group to that unit directly
    /returnee TEXT — report returnees (e.g. /returnee 租客老李带5位家人从湖南回来，途经武汉)
    /incidents [open|today] — reports; /colour CODE red|yellow|green REASON — set a unit's colour; /map — colour map; /daily [DAYS] — daily tallies
    /whoami — show identity, duties and the map (my units and chain of command)
    /card NAME — one person, one card (or reply to their message with /card); /member add|roles|phone|remove|list|log — members and roles (/member shows how)
    /score NAME ±N REASON — landlord score (level-2 commanders and above); /rank [CODE] — landlord ranking

form-ask-text = 📝 <b>Reply to this message</b> with the order's text.
form-ask-kind = Which kind of order?
form-ask-duration = Time allowed?
form-preview =
    Please confirm the order ({ $kind }, within { $duration }):
    { $text }

    It goes to { $targets ->
        [one] 1 unit
       *[other] { $targets } units
    }: { $levels }
form-confirm = ✅ Issue
form-cancel = ✖ Cancel
form-cancelled = Cancelled; nothing was issued.
form-expired = This form has expired or is not yours; send /order to start again.

error-chat-private = This command works in a unit's group, not in a private chat.
error-chat-unbound = This group is not bound to any unit, so this command cannot be used here. Ask HQ to bind it.
error-not-allowed-order = Only the commander or a deputy of "{ $unit }", or an HQ admin, may issue orders.
error-not-allowed-cancel = Only the commander or a deputy of the issuing unit "{ $unit }", or an HQ admin, may cancel.
error-not-unit-commander = Only the commander or a deputy of "{ $unit }" answers for the unit.
error-no-units-below = "{ $unit }" has no units below it, so the order has nowhere to go.
error-scope-outside = "{ $target }" is not under "{ $unit }".
error-order-text-missing = Please write the order's text. Form: /order [duration] [notice|count|list] text, e.g. /order 15m count Count non-locals
error-order-text-too-long = The order's text is too long (at most { $max } characters).
error-bad-duration = "{ $value }" is not a duration. Write 15m, 20m, 1h (from 1 minute to 30 days).
error-order-unknown = There is no order #{ $order }.
error-order-not-here = Order #{ $order } does not concern "{ $unit }".
error-order-cancelled = Order #{ $order } was cancelled.
error-order-closed = Order #{ $order } has ended and cannot be cancelled.
error-no-order = "{ $unit }" has not received or issued any order yet.
error-no-open-order = "{ $unit }" has no open order.
error-not-a-target = "{ $unit }" is not among the units of order #{ $order }.
error-answers-for-several = You answer for several units without a group of their own ({ $units }), so this answer could be any of them: write the unit's name before the value, e.g. reply "{ $example } 5" or send /report { $example } 5.
error-values-from-below = "{ $unit }" has sub-units: for order #{ $order } their { $kind ->
        [list] lists are merged
       *[other] numbers are summed
    } automatically; your unit only presses "Received".
error-bad-count = Order #{ $order } needs a number: "{ $value }" is not one. Please reply with a whole number, e.g. 5, 十二, 1,024.
error-bad-list = Order #{ $order } needs a list: this one is empty. Please write one item per line.
error-list-number = Order #{ $order } needs a list, and "{ $value }" is only a number: please write the entries themselves, one a line (or none if there are none).
error-approx-count = "{ $value }" is an estimate; the total needs an exact number. Reply to order #{ $order } with one exact whole number, e.g. 8.
error-count-too-large = "{ $value }" is above the limit of { $max }: please check it and reply to order #{ $order } with the exact whole number.
error-list-too-long = The list is too long (at most { $max } items).
error-bad-order-id = "{ $value }" is not an order number; it should be a number, e.g. /status 12.
error-notice-no-value = Order #{ $order } is a notice and needs no value: please press "Received" on the order message.
error-nothing-to-report = "{ $unit }" has already reported every value its open orders ask for. To correct one, name the order, e.g. /report { $order } VALUE.
answer-ack = ✅ Recorded: "{ $unit }" received order #{ $order }{ $late }
error-report-usage = Form: /report [ORDER] VALUE, e.g. /report 12 5
error-report-split = "{ $value }" reads two ways: { $tail } for order #{ $order }, or { $joined }. Write /report #{ $order } { $tail } or /report { $joined }.
error-unknown-command = There is no command { $command }. Send /help for the list.
error-internal = Sorry, something went wrong; it has been logged. Please try again.

report-title-final = final report
report-title-corrected = final report (corrected)
report-title-interim = interim report at the deadline
report-title-cancelled = final report (cancelled)
report-level = { $level } median { $median } / 90% { $p90 }

reminder = ⏰ Order #{ $order } "{ $text }": { $remaining } left and "{ $unit }" is not done; { $commander }, please answer.{ $late }
reminder-ungrouped = ⏰ Order #{ $order } "{ $text }": { $remaining } left and "{ $unit }" below is not done; it has no group the bot can remind it in, please contact { $commander }.{ $late }
reminder-ungrouped-many =
    ⏰ Order #{ $order } "{ $text }": { $remaining } left and these { $count } units below are not done; they have no group the bot can remind them in, please contact them:{ $late }
    { $units }
sent-late = { " " }(sent late, after a restart)
escalation =
    ⚠️ Order #{ $order } "{ $text }" reached its deadline; { $count ->
        [one] this unit below is not done, please chase it:
       *[other] these { $count } units below are not done, please chase them:
    }{ $late }
    { $units }
escalation-again =
    ⚠️ Order #{ $order } "{ $text }" is { $overdue } overdue; { $count ->
        [one] this unit is still not done (escalated):
       *[other] these { $count } units are still not done (escalated):
    }{ $late }
    { $units }
escalation-unit = · { $unit } ({ $commander })
escalation-ungrouped = ("{ $unit }" has no group of its own, so its pending units are listed above too; its commander is { $commander }.)
escalation-ungrouped-many = (These { $count } units have no group of their own, so their pending units are listed above too; contact: { $units }{ $more }.)
unit-commander = { $unit } ({ $commander })
list-separator = {", "}
list-and-more = {", "}and others

progress =
    📊 Order #{ $order } progress "{ $text }"
    { $bar } { $done }/{ $total } ({ $percent }%) · { $clock }
    { $children }{ $extra }
    (updated { $updated })
progress-child = ⏳ { $unit } { $done }/{ $total }
progress-child-done = ✅ { $unit } { $done }/{ $total }

unreachable = ⚠️ "{ $unit }" cannot be reached: the bot was removed from its group or the group is gone. Messages for it are kept; { $commander }, please add the bot back and they will be delivered.
reachable-again = ✅ "{ $unit }" can be reached again; the kept messages are being delivered.
tree-head = 🌳 "{ $unit }" and the units under it ({ $count } in all):
tree-unit = { $indent }{ $mark } { $unit } ({ $level }){ $state }
tree-unbound = · no group bound
tree-unreachable = · ⚠️ unreachable
tree-more = … and { $count } more not listed
status-unreachable = ⚠️ Cannot be reached: { $units }
cmd-tree = Units below and the state of their groups

cmd-invite = Links to join groups and register
cmd-bind = HQ admins: bind this group to a unit, /bind CODE
invite-caption = 🔗 Join links for the { $count } units under "{ $unit }" (one ?startgroup= link per unit: the unit's commander creates the group and opens it to add and bind the bot) and { $people } personal links (?start=) for people not registered yet.
invite-none = "{ $unit }" has no units below it.
bind-done = ✅ This group is now bound to "{ $unit }" ({ $level }).
bind-refused-report = ⚠️ Someone ({ $who }) tried to bind the group "{ $chat }" to "{ $unit }" without being its commander; refused.
claim-done = ✅ You are registered as { $position } of "{ $unit }" ({ $name }).
error-not-allowed-invite = Only the commander or a deputy of "{ $unit }", or an HQ admin, may create invite links.
error-invite-unknown-unit = There is no unit { $code } under "{ $unit }".
error-invite-invalid = This link is invalid or expired; ask your commander for a new one.
error-not-allowed-bind = Only the commander or a deputy of "{ $unit }" may bind a group to it; the parent unit was told.
error-not-admin = Only an HQ admin may do this.
error-unknown-unit = There is no unit with code { $code }.
error-chat-bound-elsewhere = This group is already bound to "{ $unit }" and cannot be bound to another unit.
error-slot-taken = This seat in "{ $unit }" is already taken. If that is wrong, ask your commander.
error-bind-usage = Form: /bind CODE, e.g. /bind ts-01

# Time as people read it: 45 s, 9 min 18 s, 10 minutes, 1 hour 30 minutes, 99 hours; Mar 5 05:16.
time-s = { $n } s
time-m = { $n ->
    [one] 1 minute
   *[other] { $n } minutes
}
time-m-short = { $n } min
time-h = { $n ->
    [one] 1 hour
   *[other] { $n } hours
}
time-d = { $n ->
    [one] 1 day
   *[other] { $n } days
}
time-date = { $month ->
    [1] Jan
    [2] Feb
    [3] Mar
    [4] Apr
    [5] May
    [6] Jun
    [7] Jul
    [8] Aug
    [9] Sep
    [10] Oct
    [11] Nov
   *[12] Dec
} { $day } { $clock }
time-date-year = { $year }-{ $month }-{ $day } { $clock }
