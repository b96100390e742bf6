# Answers that keep people informed when something is stale, repeated or failing
# (issue "proven reliable").

# A press whose data no handler matches (old, forged or malformed).
press-stale = This button is no longer valid; please use the latest message.
# A reply to a form prompt after the form timed out (bot/forms.py).
form-timed-out = The form timed out (10 minutes without an answer); please send the command again.
