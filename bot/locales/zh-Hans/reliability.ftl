# Answers that keep people informed when something is stale, repeated or failing
# (issue "proven reliable").

# A press whose data no handler matches (old, forged or malformed).
press-stale = 此按钮已失效，请以最新消息为准。
# A reply to a form prompt after the form timed out (bot/forms.py).
form-timed-out = 表单已超时（10 分钟未填写），请重新发送命令。
