# Returnee reports (the 20-minute loop)

cmd-returnee = Report returnees (tenants, family)
returnee-unknown = unknown
returnee-fields =
    People: { $count } · from: { $origin } · via: { $via }
    Arrival: { $arrival } · address: { $address }
    Phone: { $phone } · names: { $names }
returnee-arrival-day = { $day } { $month ->
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
    }
returnee-arrival-part = { $day }, { $part }
returnee-arrival-time = { $day } { $time }
returnee-part-dawn = small hours
returnee-part-morning = morning
returnee-part-noon = noon
returnee-part-afternoon = afternoon
returnee-part-dusk = dusk
returnee-part-evening = evening
returnee-part-night = late night
returnee-high-risk = 🔴 From or through a high-risk region: central isolation suggested
returnee-normal = 🟡 Ordinary region
returnee-draft =
    📝 Returnee report #{ $id } ({ $unit }); the bot understood:
    { $fields }
    { $risk }{ $questions }
    Check it and press "Confirm"; to fix or add something, <b>reply to this message</b> with just that.
returnee-questions = {"\u000A"}❓ Still missing: { $items } (reply to add)
returnee-check = {"\u000A"}❓ Please check: { $items } (reply to fix)
returnee-ask-count = how many people
returnee-ask-origin = where from
returnee-ask-via = through where
returnee-ask-arrival = arrival time
returnee-ask-address = address
returnee-ask-phone = phone
returnee-confirm = ✅ Confirm
returnee-discard = ✖ Cancel
returnee-discarded = Cancelled; nothing was reported.
returnee-confirmed = Reported.
returnee-alert =
    🚨 Returnees #{ $id } reported by "{ $unit }": { $commander }, please decide within 20 minutes
    { $fields }
    { $risk }{ $state }
returnee-alert-escalated =
    ⏫ Returnees #{ $id } from "{ $unit }" not handled after { $overdue }; escalated: { $commander }, please follow up
    { $fields }
    { $risk }{ $state }
returnee-state-disposed = {"\u000A"}➡️ Decided: { $disposition }; press "Done" when carried out
returnee-state-done = {"\u000A"}✅ Done ({ $minutes } minutes)
returnee-details =
    🔒 Returnees #{ $id }: full details (commanders only, do not forward)
    Unit: { $unit } · reported by { $reporter }
    { $fields }
    ID numbers: { $ids }
    Original: { $text }
    { $risk }
returnee-done = ✅ Done
disposition-register = register at the service station
disposition-home = home observation
disposition-central = central isolation
disposition-none = no action
returnee-stage-open = 📨 #{ $id } reported to "{ $handler }", waiting for a decision (within 20 minutes).
returnee-stage-disposed = ➡️ #{ $id }: "{ $handler }" decided: { $disposition }.
returnee-stage-done = ✅ #{ $id } done: { $minutes } minutes from report to done.
returnee-form-count = 👥 How many people are back? <b>Reply to this message</b> (e.g. 3 people, with 5 family members).
returnee-form-count-again = "{ $value }" is an estimate; the totals need the exact number: please reply once more with it, or reply "skip" if nobody knows yet (the draft will ask for it).
returnee-form-origin = 🧭 Where from? (province or city)
returnee-form-via = 🛣 Through where? (press "Skip" if nowhere)
returnee-form-arrival = 🕒 When do they arrive? (e.g. tonight, tomorrow afternoon, 3月17日)
returnee-form-address = 🏠 Where do they live? (e.g. 溪西村12号)
returnee-form-phone = 📞 Phone number?
returnee-form-origin-again = "{ $value }" is not a place: please reply where they come from (province or city, e.g. 湖北孝感), or press "Skip" if nobody knows.
returnee-form-via-again = "{ $value }" is not a place: please reply where they came through (e.g. 武汉), or press "Skip" if nowhere.
returnee-form-arrival-again = "{ $value }" is not a time: please reply when they arrive (e.g. tonight, tomorrow afternoon, 3月17日), or press "Skip" if nobody knows.
returnee-form-address-again = "{ $value }" is not an address: please reply where they live (e.g. 溪西村12号, 3幢201; the phone is the next step), or press "Skip" if nobody knows.
returnee-form-phone-again = "{ $value }" is not a phone number: please reply a mobile or landline number (e.g. 13900001111), or press "Skip" if there is none.
returnee-form-skip = Skip
returnee-form-expired = This form has expired or is not yours; send /returnee to start again.
error-returnee-empty = Please describe the returnees, e.g. /returnee 租客老李带5位家人从湖南回来，途经武汉，住溪西村12号
error-returnee-too-long = Too long (at most { $max } characters).
error-not-a-member = Only members of "{ $unit }" may report here.
error-incident-unknown = There is no report #{ $incident }.
error-incident-already-confirmed = Report #{ $incident } is already confirmed and can't be changed; to correct it, contact your commander above or report again with /returnee and say so.
error-not-the-reporter = Only the person who reported may confirm or correct it.
error-not-the-reporter-or-commander = Only the person who reported, or the unit's commander or a deputy, may confirm or cancel it.
error-incident-closed = Report #{ $incident } is already done.
error-incident-needs-disposition = Choose a disposition first, then press "Done".
error-incident-not-here = Report #{ $incident } is not handled by this group.
error-form-expired = This button is no longer valid.

## /incidents (bot/incident_presenter.py)

cmd-incidents = Returnee incidents: /incidents [open|today]

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
inclist-line = { $mark } #{ $id } { $unit } · { $people } · { $route } · { $state } · { $age }{ $escalated }
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
inclist-age-now = just now
inclist-age-minutes = { $minutes }m ago
inclist-age-hours = { $hours }h{ $minutes }m ago
inclist-age-days = { $days }d{ $hours }h ago

error-inclist-usage = Usage: /incidents [open|today]: open lists only open ones, today only today's reports; without it, the newest.
