# People: /member members and roles, /card one person one card, /whoami the three shows,
# /score /rank the landlord 12-point score

cmd-member = Members and roles: /member add|roles|phone|remove|list|log
cmd-card = One person, one card: /card NAME (or reply)
cmd-score = Landlord score: /score NAME ±N REASON
cmd-rank = Landlord ranking: /rank [CODE]

help-people =
    /order 20m count @health count fevers — a targeted order (scope: L3 level, #kind, +tag, @role)

role-patroller = patroller
role-informant = informant
role-health = health officer
role-publicity = publicity
role-admin = administrator
roles-none = none

duty-commander = Commander: pass every order to the unit at once; sum up the answers below and report up in time; organise surveys and dispositions.
duty-deputy = Deputy: helps the commander; may press "received" and report for the unit.
duty-member = Member: answer orders promptly, help with surveys and registration, report anything unusual at once.
duty-patroller = Patroller: patrols the area; reports newcomers and returnees at once.
duty-informant = Informant: collects and checks the unit's people data so the numbers are exact.
duty-health = Health officer: checks temperatures and health daily; reports anything abnormal at once.
duty-publicity = Publicity: brings policies and notices to every household.
duty-admin = Administrator: keeps the group and the roll of people; invites new members.

card-head = 🪪 <b>{ $name }</b>
card-seat = • { $unit } ({ $level }, { $position }) roles: { $roles }
card-chain = { "  " }chain: { $chain }
card-phone = 📞 Phone: { $phone }
card-phone-masked = 📞 Phone: { $phone } (the full number only for the person and the commanders up the chain, in a private chat)
card-phone-none = 📞 Phone: not registered
card-status-ok = Status: normal
card-status-home = Status: 🟡 home observation until { $until } (report #{ $incident })
card-status-central = Status: 🔴 central isolation until { $until } (report #{ $incident })
card-score = Landlord score ({ $period }): <b>{ $score }</b>
card-answers-head = Recent answers:
card-answer = { "  " }#{ $order } { $text }: { $what } ({ $unit })
card-answer-acked = received
card-answer-value = reported { $value }
card-answer-items = reported a list of { $items }
card-answer-late = { " " }(late)
card-answers-none = Recent answers: none
card-incidents-head = Reports:
card-incident = { "  " }#{ $incident } { $when } { $unit } { $people } { $stage }
card-people = { $count } people
card-people-unknown = number to be checked
card-incidents-none = Reports: none
incident-stage-open = waiting
incident-stage-disposed = being handled
incident-stage-done = carried out

whoami-head = 🙋 <b>Identity</b>
whoami-identity = • { $unit } ({ $level }, { $position }) roles: { $roles }
whoami-duties-head = 📋 <b>Duties</b>
whoami-duty = • { $duty }
whoami-map-head = 🗺 <b>Map</b>
whoami-map-chain = Chain of command: { $chain }
whoami-map-commands = { "  " }commands { $unit }: { $children } units directly below ({ $below } in all) { $names }
whoami-map-title = { $name } in the tower
whoami-map-caption = 🗺 { $name } in the tower

member-usage =
    <b>Members and roles</b> (your unit and units below):
    /member add [CODE] NAME [ROLES] [PHONE] — add a member (reply to a person's message to link their account)
    /member roles [CODE] NAME ROLES — change roles (patroller, informant, health, publicity, admin; comma-separated; "-" clears)
    /member phone [CODE] NAME PHONE — register a phone
    /member remove [CODE] NAME — remove a member
    /member list [CODE] — the roll
    /member log [CODE] — the changes (who, when, before, after)
member-preview =
    Please confirm: { $action }
    Unit: { $unit }
    Before: { $before }
    After: { $after }
member-action-add = add a member
member-action-roles = change roles
member-action-phone = register a phone
member-action-remove = remove a member
member-nobody = —
member-person = { $name } ({ $position }, roles: { $roles }{ $phone })
member-person-phone = , phone { $phone }
member-confirm = ✅ Confirm
member-cancel = ✖ Cancel
member-done = ✅ Done: { $action } — { $unit } { $name } (logged)
member-cancelled = Cancelled, nothing changed.
member-roll-head = 👥 <b>{ $unit }</b> members ({ $count }):
member-roll-line = • { $name } ({ $position }) { $roles }{ $phone }
member-roll-child = • { $name } (commander of the unit below "{ $child }")
member-log-head = 📝 Member changes in <b>{ $unit }</b> and below (newest { $count }):
member-log-line = • { $when } { $actor } in "{ $unit }" { $action }: { $before } → { $after }
member-log-none = No member changes in "{ $unit }" or below yet.

score-changed =
    🏠 Landlord score: <b>{ $delta }</b> ({ $reason })
    { $unit } · { $period } now <b>{ $total }</b>
score-reason-early = returnees reported before (or at) arrival, #{ $incident }
score-reason-late = returnees reported more than { $hours } hours after arrival, #{ $incident }
score-done = ✅ { $delta } for { $name } ({ $unit }): { $reason }. Now { $total } this period; told privately.
rank-head = 🏠 <b>{ $scope }</b> landlord ranking ({ $period }, { $count ->
        [one] 1 landlord
       *[other] { $count } landlords
    })
rank-weekly-head = 📣 <b>This week's landlord ranking</b> · { $scope } ({ $period }, { $count ->
        [one] 1 landlord
       *[other] { $count } landlords
    })
rank-best-head = 🌟 Five-good landlords:
rank-worst-head = 🚜 Tractor (laggard) landlords:
rank-line = { "  " }#{ $place } { $name } ({ $unit }) { $score }
rank-none = none
rank-all-tied = All tied ({ $score }): no laggards named.
rank-rule = Equal scores share a place and are all listed (by name); nobody is on both lists.
rank-empty = No landlord units under "{ $scope }".

error-person-missing = Write a name, or reply to the person's message with the command.
error-person-unknown = Nobody called "{ $who }" in the tower.
error-person-ambiguous = More than one "{ $who }": { $units }. Add the unit code after the name, or reply to their message.
error-card-outside = You can see your own card, your unit's and those of units below you; "{ $who }" is outside your chain.
error-member-which-unit = Use this in a unit's group, or write a unit code.
error-member-not-allowed = Only the commander or a deputy of "{ $unit }" or a unit above it can change members.
error-member-bad-name = A name is 1 to { $max } characters.
error-member-exists = { $who } is already a member of "{ $unit }".
error-member-same-name = "{ $unit }" already has someone called "{ $who }"; reply to their message instead, or tell them apart by name.
error-member-cap = "{ $unit }" is a level-{ $level } unit: at most { $max } people, it has { $count }. Split the unit or remove someone first.
error-member-not-found = Nobody called "{ $who }" in "{ $unit }".
error-member-is-commander = { $who } is the commander of "{ $unit }" and cannot be removed; change the commander in the tower file.
error-member-child-commander = { $who } commands the unit below "{ $child }"; by the tower's rule a child commander is a member of "{ $unit }" and cannot be removed.
error-member-roles-missing = Write the roles: patroller, informant, health, publicity, admin (comma-separated, "-" clears).
error-member-phone-missing = Write an 11-digit mobile number.
error-member-bad-args = Could not read that. { $hint }
error-member-plan-expired = This confirmation has expired; send the /member command again.
error-member-not-yours = Only the person who asked can confirm or cancel.
error-score-bad-points = Points are +1..+{ $max } or -1..-{ $max }, e.g. /score 田晓强 +2 mediated a dispute.
error-score-reason-missing = Write the reason, e.g. /score 田晓强 -1 shared areas not disinfected.
error-score-reason-too-long = The reason is too long (at most { $max } characters).
error-score-self = Nobody scores himself.
error-score-not-allowed = Only commanders and deputies at level { $level } or above in the landlord's chain can change scores.
error-score-not-landlord = "{ $who }" is not a landlord (the commander of a landlord unit).
error-score-which-unit = { $who } commands several landlord units: { $units }. Add the unit code after the name.
error-score-usage = Format: /score NAME ±N REASON, e.g. /score 田晓强 +2 mediated a dispute.
