# 塔群机器人：简体中文（默认）

kind-notice = 通知
kind-count = 统计数字
kind-list = 清单

cmd-order = 下达指令：/order [时限] [notice|count|list] 内容
cmd-report = 上报：/report [指令号] 数值
cmd-status = 完成情况：/status [指令号]
cmd-pending = 未完成单元：/pending [指令号]
cmd-cancel = 撤销指令：/cancel [指令号]
cmd-whoami = 我的单元和指挥链
cmd-help = 使用说明

order-copy =
    📢 <b>指令 #{ $order }</b>（{ $kind }）
    来自：{ $issuer }
    { $text }

    ⏰ 截止 { $deadline }（{ $duration }内）
    { $how }
how-notice = 请本单元指挥长点「收到」。
how-value-below = 请本单元指挥长点「收到」；数字由下级单元上报后自动汇总。
how-list-below = 请本单元指挥长点「收到」；清单由下级单元上报后自动合并。
how-count = 请指挥长<b>回复本消息</b>上报数字（如 5、十二），或发送 /report { $order } 数字。
how-list = 请指挥长<b>回复本消息</b>上报清单，每行一条（如地址），或发送 /report { $order } 清单。
button-ack = ✅ 收到
button-acked = ✅ 已收到 · { $who } { $clock }

order-issued =
    ✅ 指令 #{ $order } 已下达（{ $kind }，{ $duration }内，截止 { $deadline }）
    发往 { $targets } 个单元：{ $levels }
    用 /status 查看进度，/pending 查看未完成单元。
level-count = { $level }级 { $count } 个
level-name = { $level ->
    [0] 指挥部
   *[other] { $level }级
}

ack-done = 已收到，谢谢！
ack-again = 本单元已确认收到。
ack-needs-value = 已收到。请回复指令消息上报{ $kind }。

answer-count = ✅ 已记录「{ $unit }」上报：{ $value }{ $late }
answer-list = ✅ 已记录「{ $unit }」清单 { $count } 条：{ $items }{ $late }
answer-list-none = ✅ 已记录「{ $unit }」上报：无（清单 0 条）{ $late }
answer-list-more = ……共 { $count } 条
answer-list-ask = ❓「{ $entry }」中的「{ $mark }」隔开了 { $count } 项，是 { $count } 条还是 1 条？
button-list-split = 分成 { $count } 条
button-list-keep = 算作 1 条
list-split-done = 已按 { $count } 条记录
error-list-split-stale = 这条清单已改过，按钮已失效；如需更正请重新上报。
answer-replaced = （已更正，以本次为准）
answer-late = （超时上报，已计入并标记迟报）

unit-done =
    🎉 指令 #{ $order }：本单元及全部 { $children } 个下级单元已完成。{ $total }
child-done = ☑️ 指令 #{ $order }：「{ $unit }」及其下级已全部完成。{ $total }
total-corrected = ✏️ 指令 #{ $order }：{ $own ->
        [yes] 本单元
       *[no] 「{ $unit }」
    }合计更正：{ $old } → <b>{ $new }</b>（「{ $by }」更正）
children-done = ☑️ 指令 #{ $order }：以下 { $count } 个单元及其下级已全部完成：
children-done-line = · 「{ $unit }」{ $total }
total-count = 合计 <b>{ $value }</b>。
total-list = 清单合计 <b>{ $value }</b> 条。

final-report =
    📊 <b>指令 #{ $order } { $title }</b>
    { $text }
    完成 { $done }/{ $total }（{ $percent }%）· 准确率 { $accuracy }
    { $value }用时：首个回复 { $first } · 50% { $t50 } · 90% { $t90 } · 100% { $t100 }
    各级用时：{ $levels }
    { $late }
report-total-count = 合计数字：<b>{ $value }</b>（各级汇总{ $consistent }）
report-total-list = 清单：<b>{ $value }</b> 条（去重后 { $distinct } 条）
consistent-yes = 一致
consistent-no = 不一致，请核对
report-late = 迟报单元：{ $units }
report-late-none = 无迟报单元。
report-pending = 未完成单元：{ $units }
report-pending-group = { $parent }（{ $units }）
report-pending-separator = ；
report-more = ……另有 { $count } 个

report-cancelled-by = 撤销人：{ $who }
cancel-done = ⛔ 指令 #{ $order } 已撤销，已通知 { $count } 个未完成单元；总结报告已发到「{ $issuer }」群。
merged-head = 📋 指令 #{ $order } 合并清单（去重后 { $count } 条，括号内为上报单元）：
merged-line = · { $text }（{ $units }）
merged-file = 📋 指令 #{ $order } 合并清单：去重后 { $count } 条，较长，见附件（每条附上报单元）。
merged-masked = （群内已隐去姓名和门牌号；完整清单已私聊发给发令人，未收到请先私聊本机器人，再发送 /export { $order }）
merged-col-item = 条目
merged-col-units = 上报单元
cancelled-copy = ⛔ 指令 #{ $order } 已撤销，无需再回复。

status =
    📈 <b>指令 #{ $order }</b>（{ $kind }）{ $state }
    { $text }
    完成 { $done }/{ $total }（{ $percent }%）
    { $levels }
    { $value }已用时{ $elapsed } · { $remaining }
status-level = { $level }：{ $done }/{ $total }
status-open = 进行中
status-done = 已完成
status-cancelled = 已撤销
status-remaining = 剩余{ $time }
status-overdue = 已超时
status-total-count = 目前合计：<b>{ $value }</b>
status-total-list = 目前清单：<b>{ $value }</b> 条

pending-none = ✅ 指令 #{ $order }：本单元范围内全部完成。
pending-head = ⏳ 指令 #{ $order } 未完成 { $count } 个单元：
pending-group = <b>{ $parent }</b>：
pending-unit = · { $unit }（{ $commander }）
pending-more = ……另有 { $count } 个未列出

whoami-none = 您还不在任何单元中。请联系上级指挥长把您加入塔群。
whoami-seat = <b>{ $unit }</b>（{ $level }，{ $position }）
whoami-chain = 指挥链：{ $chain }
position-commander = 指挥长
position-deputy = 副指挥长
position-member = 成员

help =
    <b>塔群机器人</b>：指令一级一级下达，回复一级一级汇总。
    /order 15m count 统计外地人数 — 下达指令（时限默认 15m；类型：notice 通知、count 数字、list 清单）
    /order — 分步填写指令
    回复指令消息 — 上报数字或清单（支持「五」「十二」「1,024」）
    /report 指令号 数值 — 上报
    /status [指令号] — 完成情况
    /pending [指令号] — 未完成单元
    /cancel [指令号] — 撤销指令
    /tree — 下属单元和群的状态
    /chart [指令号] — 完成曲线图；/export [指令号] — 导出表格；/stats [天数] — 统计
    /invite — 入群和登记链接
    /bind 单元代码 — 总部管理员把本群直接绑定到该单元
    /returnee 内容 — 上报返回人员（如：/returnee 租客老李带5位家人从湖南回来，途经武汉）
    /incidents [open|today] — 上报列表；/colour 代码 red|yellow|green 原因 — 设置单元颜色；/map — 颜色图；/daily [天数] — 每日统计
    /whoami — 亮身份、亮职责、亮地图（我的单元和指挥链）
    /card 姓名 — 一人一卡（或回复其消息发 /card）；/member add|roles|phone|remove|list|log — 成员与角色（/member 查看用法）
    /score 姓名 ±分 原因 — 房东积分（二级指挥长及以上）；/rank [代码] — 房东积分排名

form-ask-text = 📝 请<b>回复本消息</b>写下指令内容。
form-ask-kind = 指令类型？
form-ask-duration = 时限？
form-preview =
    请确认指令（{ $kind }，{ $duration }内）：
    { $text }

    将发往 { $targets } 个单元：{ $levels }
form-confirm = ✅ 下达
form-cancel = ✖ 取消
form-cancelled = 已取消，未下达。
form-expired = 此表单已失效或不是您发起的，请发送 /order 重新开始。

error-chat-private = 这个命令要在单元的群里发送，私聊中无法使用。
error-chat-unbound = 本群尚未绑定到任何单元，无法使用此命令。请联系指挥部绑定。
error-not-allowed-order = 只有「{ $unit }」的指挥长、副指挥长或指挥部管理员可以下达指令。
error-not-allowed-cancel = 只有发令单元「{ $unit }」的指挥长、副指挥长或指挥部管理员可以撤销。
error-not-unit-commander = 只有「{ $unit }」的指挥长或副指挥长可以代表本单元回复。
error-no-units-below = 「{ $unit }」没有下级单元，指令无处下达。
error-scope-outside = 「{ $target }」不在「{ $unit }」的范围内。
error-order-text-missing = 请写上指令内容。格式：/order [时限] [notice|count|list] 内容，例如 /order 15m count 统计外地人数
error-order-text-too-long = 指令内容太长（最多 { $max } 字）。
error-bad-duration = 时限「{ $value }」看不懂。请写 15m、20m、1h 这样的时限（1 分钟到 30 天）。
error-order-unknown = 没有编号为 #{ $order } 的指令。
error-order-not-here = 指令 #{ $order } 与「{ $unit }」无关。
error-order-cancelled = 指令 #{ $order } 已撤销。
error-order-closed = 指令 #{ $order } 已结束，无法撤销。
error-no-order = 「{ $unit }」还没有收到或发出过指令。
error-no-open-order = 「{ $unit }」没有进行中的指令。
error-not-a-target = 「{ $unit }」不在指令 #{ $order } 的下达范围内。
error-answers-for-several = 您负责多个没有群的单元（{ $units }），这里的上报不知是哪一个的：请在数值前写上单元名，例如回复「{ $example } 5」或发送 /report { $example } 5。
error-values-from-below = 「{ $unit }」有下级单元：指令 #{ $order } 的{ $kind ->
        [list] 清单
       *[other] 数字
    }由下级上报后自动汇总，本单元只需点「收到」。
error-bad-count = 指令 #{ $order } 要上报一个数字：「{ $value }」不是有效的数字。请回复一个整数，例如 5、十二、1,024。
error-bad-list = 指令 #{ $order } 要上报清单：内容是空的，请每行写一条。
error-list-number = 指令 #{ $order } 要上报清单，「{ $value }」只是一个数字：请写出具体内容，每行一条（没有请回复「无」）。
error-approx-count = 「{ $value }」是估计数，汇总需要确切数字。请为指令 #{ $order } 回复一个确切的整数，例如 8。
error-count-too-large = 「{ $value }」超过了上限 { $max }：请核对后为指令 #{ $order } 回复确切的整数。
error-list-too-long = 清单太长（最多 { $max } 条）。
error-bad-order-id = 指令号「{ $value }」不对，应为数字，例如 /status 12。
error-notice-no-value = 指令 #{ $order } 是通知，不需要上报数值：请点指令消息上的「收到」。
error-nothing-to-report = 「{ $unit }」已上报了所有进行中指令要的数值。如需更正，请写上指令号，例如 /report { $order } 数值。
answer-ack = ✅ 已记录「{ $unit }」收到指令 #{ $order }{ $late }
error-report-usage = 格式：/report [指令号] 数值，例如 /report 12 5
error-report-split = 「{ $value }」有两种读法：指令 #{ $order } 上报 { $tail }，或上报 { $joined }。请写 /report #{ $order } { $tail } 或 /report { $joined }。
error-unknown-command = 没有这个命令：{ $command }。发送 /help 查看可用命令。
error-internal = 抱歉，处理时出错，已记录。请稍后再试。

report-title-final = 总结报告
report-title-corrected = 总结报告（更正）
report-title-interim = 截止时中期报告
report-title-cancelled = 总结报告（已撤销）
report-level = { $level } 中位 { $median } / 90% { $p90 }

reminder = ⏰ 指令 #{ $order }「{ $text }」还剩{ $remaining }：「{ $unit }」尚未完成，请 { $commander } 抓紧回复。{ $late }
reminder-ungrouped = ⏰ 指令 #{ $order }「{ $text }」还剩{ $remaining }：下级单元「{ $unit }」尚未完成，它没有绑定群，机器人无法在群里提醒，请联系 { $commander }。{ $late }
reminder-ungrouped-many =
    ⏰ 指令 #{ $order }「{ $text }」还剩{ $remaining }：以下 { $count } 个下级单元尚未完成，它们没有绑定群，机器人无法在群里提醒，请联系：{ $late }
    { $units }
sent-late = （机器人重启后补发）
escalation =
    ⚠️ 指令 #{ $order }「{ $text }」已到截止时间，以下 { $count } 个下级单元尚未完成，请督促：{ $late }
    { $units }
escalation-again =
    ⚠️ 指令 #{ $order }「{ $text }」已超时{ $overdue }，以下 { $count } 个单元仍未完成（逐级上报）：{ $late }
    { $units }
escalation-unit = · { $unit }（{ $commander }）
escalation-ungrouped = （「{ $unit }」没有绑定群，它的未完成下级单元也列在上面，可联系 { $commander }。）
escalation-ungrouped-many = （以下 { $count } 个单元没有绑定群，它们的未完成下级单元也列在上面，可联系：{ $units }{ $more }）
unit-commander = { $unit }（{ $commander }）
list-separator = 、
list-and-more = 等

progress =
    📊 指令 #{ $order } 进度「{ $text }」
    { $bar } { $done }/{ $total }（{ $percent }%）· { $clock }
    { $children }{ $extra }
    （更新于 { $updated }）
progress-child = ⏳ { $unit } { $done }/{ $total }
progress-child-done = ✅ { $unit } { $done }/{ $total }

unreachable = ⚠️「{ $unit }」无法送达：机器人已被移出该群或群已不存在。发往该群的消息已暂存，请 { $commander } 把机器人重新拉进群，恢复后自动补发。
reachable-again = ✅「{ $unit }」已恢复送达，暂存的消息正在补发。
tree-head = 🌳「{ $unit }」及下属单元（共 { $count } 个）：
tree-unit = { $indent }{ $mark } { $unit }（{ $level }）{ $state }
tree-unbound = · 未绑定群
tree-unreachable = · ⚠️无法送达
tree-more = ……另有 { $count } 个单元未列出
status-unreachable = ⚠️ 无法送达：{ $units }
cmd-tree = 下属单元和群的状态

cmd-invite = 入群和登记链接
cmd-bind = 总部管理员：把本群绑定到单元 /bind 单元代码
invite-caption = 🔗「{ $unit }」下属 { $count } 个单元的入群链接（每个单元一条 ?startgroup= 链接：由该单元指挥长建群后点击，把机器人拉进群并绑定）和 { $people } 个待登记人员的个人链接（?start=）。
invite-none = 「{ $unit }」下面没有单元。
bind-done = ✅ 本群已绑定为「{ $unit }」（{ $level }）。
bind-refused-report = ⚠️ 有人（{ $who }）试图把群「{ $chat }」绑定为「{ $unit }」，但他不是该单元的指挥长，已拒绝。
claim-done = ✅ 您已登记为「{ $unit }」的{ $position }（{ $name }）。
error-not-allowed-invite = 只有「{ $unit }」的指挥长、副指挥长或指挥部管理员可以生成邀请链接。
error-invite-unknown-unit = 「{ $unit }」下面没有代码为 { $code } 的单元。
error-invite-invalid = 这个链接无效或已过期，请向上级指挥长要新的链接。
error-not-allowed-bind = 只有「{ $unit }」的指挥长或副指挥长可以把群绑定到该单元，已通知上级。
error-not-admin = 只有指挥部管理员可以这样做。
error-unknown-unit = 没有代码为 { $code } 的单元。
error-chat-bound-elsewhere = 本群已绑定为「{ $unit }」，不能再绑定到别的单元。
error-slot-taken = 这个位置已经有人登记了（「{ $unit }」）。如有错误，请联系上级指挥长。
error-bind-usage = 格式：/bind 单元代码，例如 /bind ts-01

# Time as people read it: 45秒, 9分18秒, 10分钟, 1小时30分钟, 99小时; 3月5日 05:16.
time-s = { $n }秒
time-m = { $n }分钟
time-m-short = { $n }分
time-h = { $n }小时
time-d = { $n }天
time-date = { $month }月{ $day }日 { $clock }
time-date-year = { $year }年{ $month }月{ $day }日 { $clock }
