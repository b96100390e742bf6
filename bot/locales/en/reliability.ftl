# Answers that keep people informed when something is stale, repeated or failing
# (issue "proven reliable").

# A press whose data no handler matches (old, forged or malformed).
press-stale = This button is no longer valid; please use the latest message.
# A reply to a form prompt after the form timed out (bot/forms.py).
form-timed-out = The form timed out (10 minutes without an answer); please send the command again.
# An update that kept failing at every start was set aside (bot/dispatch.py).
update-set-aside = ⚠️ Sorry, your last message or button press could not be processed; please send it again or press once more.

# Joining: links go privately; moving a unit with a live group needs its commander.
invite-sent-private = 🔒 The link sheet was sent to you privately (start a private chat with the bot first to receive it). Links are valid for 7 days and each personal link works once: do not forward them to groups.
move-ask = ⚠️ "{ $unit }" already has a working group. It moves here only when its commander (or an HQ admin) confirms; the old group will be told.
move-confirm = Move to this group
move-cancel = Cancel
move-cancelled = Cancelled; the unit stays in its group.
move-done = "{ $unit }" now uses this group.
unit-moved = ⚠️ "{ $unit }" was moved by its commander to the group "{ $chat }"; this group no longer receives its orders. If that was not your commander, tell your superior at once.
error-not-allowed-move = Only the commander of "{ $unit }" or an HQ admin can confirm or cancel the move.
error-invite-expired = This link has expired (links last 7 days); ask your commander for a new one.
error-invite-used = This personal link has already been used. If that is wrong, ask your commander.

# Privacy: personal data stays out of groups; queries answer members only.
returnee-continue-private = 🔒 Please go on in your private chat with the bot (phones and addresses never appear in the group; if nothing arrives, start a private chat with the bot first). The group sees only a masked summary.
error-returnee-start-in-group = Send /returnee in your unit's group first, then fill it in privately.
export-sent-private = 🔒 The export was sent to you privately (it holds personal data: do not forward it to groups).
error-members-only = Only members of "{ $unit }" and the units above it can query it.
error-commanders-only = Only the commander or a deputy of "{ $unit }" or a unit above it (or an HQ admin) can export.

# The database cannot be written (disk full, read-only): said directly, not queued.
error-storage = Cannot save right now; please try again later.
error-storage-order = The order was NOT issued: cannot save right now; please try again later.

# A press still waiting for its turn after a moment is answered by the bot itself
# (bot/press_watch.py); its handler's later answer, where it is the only sign of
# the outcome, comes as a message naming the person who pressed.
press-early = ⏳ Got your press; working on it…
press-late = { $who }: { $text }
private-nothing-open = No form is waiting for an answer here. To report returnees send /returnee; /help lists the commands.
