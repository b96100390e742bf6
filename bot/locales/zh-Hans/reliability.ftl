# Answers that keep people informed when something is stale, repeated or failing
# (issue "proven reliable").

# A press whose data no handler matches (old, forged or malformed).
press-stale = 此按钮已失效，请以最新消息为准。
# A reply to a form prompt after the form timed out (bot/forms.py).
form-timed-out = 表单已超时（10 分钟未填写），请重新发送命令。
# An update that kept failing at every start was set aside (bot/dispatch.py).
update-set-aside = ⚠️ 抱歉，刚才的消息或按键未能处理，请重新发送或再按一次。

# Joining: links go privately; moving a unit with a live group needs its commander.
invite-sent-private = 🔒 链接表已私信发给您（请先私聊机器人点「开始」才能收到）。链接只在 7 天内有效，个人链接只能使用一次，请勿转发到群里。
move-ask = ⚠️「{ $unit }」已有正在使用的群。只有该单元指挥长（或指挥部管理员）确认后，才会迁移到本群，原群将收到通知。
move-confirm = 确认迁移到本群
move-cancel = 取消
move-cancelled = 已取消，单元仍在原群。
move-done = 「{ $unit }」已迁移到本群。
unit-moved = ⚠️「{ $unit }」已由指挥长迁移到新群「{ $chat }」，本群不再接收该单元的指令。如非本人操作，请立即联系上级指挥长。
error-not-allowed-move = 只有「{ $unit }」的指挥长或指挥部管理员可以确认或取消迁移。
error-invite-expired = 这个链接已过期（7 天有效），请向上级指挥长要新的链接。
error-invite-used = 这个个人链接已被使用过，不能再次使用。如有错误，请联系上级指挥长。

# Privacy: personal data stays out of groups; queries answer members only.
returnee-continue-private = 🔒 请在与机器人的私聊中继续填写（电话、住址不会出现在群里；如未收到，请先私聊机器人点「开始」）。群里只显示打码后的摘要。
error-returnee-start-in-group = 请在您所在单元的群里发送 /returnee，再到私聊中填写。
export-sent-private = 🔒 导出文件已私信发给您（含个人信息，请勿转发到群里）。
error-members-only = 只有本单元及上级单元的成员可以查询「{ $unit }」。
error-commanders-only = 只有「{ $unit }」或上级单元的指挥长、副指挥长（或指挥部管理员）可以导出。

# The database cannot be written (disk full, read-only): said directly, not queued.
error-storage = 暂时无法保存，请稍后再试。
error-storage-order = 指令未下达：暂时无法保存，请稍后再试。

# A press still waiting for its turn after a moment is answered by the bot itself
# (bot/press_watch.py); its handler's later answer, where it is the only sign of
# the outcome, comes as a message naming the person who pressed.
press-early = ⏳ 已收到点击，正在处理…
press-late = { $who }：{ $text }
private-nothing-open = 这里没有等待回答的表单。上报返回人员请发送 /returnee，其他命令见 /help。
