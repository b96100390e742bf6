# 人员：/member 成员与角色、/card 一人一卡、/whoami 三亮、/score /rank 房东十二分制

cmd-member = 成员与角色：/member add|roles|phone|remove|list|log
cmd-card = 一人一卡：/card 姓名（或回复其消息）
cmd-score = 房东积分：/score 姓名 ±分 原因
cmd-rank = 房东积分排名：/rank [单元代码]

help-people =
    /order 20m count @健康员 统计体温异常人数 — 定向指令（范围：L3 级别、#类型、+标签、@角色）

role-patroller = 巡查员
role-informant = 信息员
role-health = 健康员
role-publicity = 宣传员
role-admin = 管理员
roles-none = 无

duty-commander = 指挥长：接收上级指令，当即传达本单元；汇总下级上报，按时向上报告；组织排摸和处置。
duty-deputy = 副指挥长：协助指挥长，可代表本单元点「收到」和上报。
duty-member = 成员：看到指令及时响应，配合排摸登记，发现情况立即报告。
duty-patroller = 巡查员：巡查责任区域，发现外来和返回人员立即报告。
duty-informant = 信息员：收集本单元人员信息，核对登记，保证数字准确。
duty-health = 健康员：每日了解体温和健康状况，发现异常立即上报。
duty-publicity = 宣传员：把政策和通知传达到每户，张贴宣传材料。
duty-admin = 管理员：维护本单元群和人员名册，邀请新成员入群。

# /card
card-head = 🪪 <b>{ $name }</b>
card-seat = • { $unit }（{ $level }，{ $position }）角色：{ $roles }
card-chain = 　指挥链：{ $chain }
card-phone = 📞 电话：{ $phone }
card-phone-masked = 📞 电话：{ $phone }（仅本人和其指挥链上的指挥长私聊可见完整号码）
card-phone-none = 📞 电话：未登记
card-status-ok = 状态：正常
card-status-home = 状态：🟡 居家观察至 { $until }（上报 #{ $incident }）
card-status-central = 状态：🔴 集中隔离至 { $until }（上报 #{ $incident }）
card-score = 房东积分（{ $period }）：<b>{ $score }</b> 分
card-answers-head = 最近回复：
card-answer = 　#{ $order } { $text }：{ $what }（{ $unit }）
card-answer-acked = 已收到
card-answer-value = 上报 { $value }
card-answer-items = 上报清单 { $items } 条
card-answer-late = （逾期）
card-answers-none = 最近回复：无
card-incidents-head = 相关上报：
card-incident = 　#{ $incident } { $when } { $unit } { $people } { $stage }
card-people = { $count }人
card-people-unknown = 人数待核实
card-incidents-none = 相关上报：无
incident-stage-open = 待处置
incident-stage-disposed = 处置中
incident-stage-done = 已落实

# /whoami
whoami-head = 🙋 <b>亮身份</b>
whoami-identity = • { $unit }（{ $level }，{ $position }）角色：{ $roles }
whoami-duties-head = 📋 <b>亮职责</b>
whoami-duty = • { $duty }
whoami-map-head = 🗺 <b>亮地图</b>
whoami-map-chain = 指挥链：{ $chain }
whoami-map-commands = 　指挥 { $unit }：下级 { $children } 个单元（共 { $below } 个）{ $names }
whoami-map-title = { $name } 在塔群中的位置
whoami-map-caption = 🗺 { $name } 在塔群中的位置

# /member
member-usage =
    <b>成员与角色</b>（本单元及下级单元）：
    /member add [单元代码] 姓名 [角色] [手机号] — 添加成员（回复某人的消息可同时绑定其账号）
    /member roles [单元代码] 姓名 角色 — 修改角色（角色：巡查员、信息员、健康员、宣传员、管理员，多个用逗号；「无」清空）
    /member phone [单元代码] 姓名 手机号 — 登记电话
    /member remove [单元代码] 姓名 — 移除成员
    /member list [单元代码] — 成员名册
    /member log [单元代码] — 变更记录（谁、何时、改前、改后）
member-preview =
    请确认：{ $action }
    单元：{ $unit }
    改前：{ $before }
    改后：{ $after }
member-action-add = 添加成员
member-action-roles = 修改角色
member-action-phone = 登记电话
member-action-remove = 移除成员
member-nobody = —
member-person = { $name }（{ $position }，角色：{ $roles }{ $phone }）
member-person-phone = ，电话 { $phone }
member-confirm = ✅ 确认
member-cancel = ✖ 取消
member-done = ✅ 已完成：{ $action } — { $unit } { $name }（已记录）
member-cancelled = 已取消，成员未改动。
member-roll-head = 👥 <b>{ $unit }</b> 成员（{ $count } 人）：
member-roll-line = • { $name }（{ $position }）{ $roles }{ $phone }
member-roll-child = • { $name }（下级单元「{ $child }」指挥长）
member-log-head = 📝 <b>{ $unit }</b> 及下级单元的成员变更（最近 { $count } 条）：
member-log-line = • { $when } { $actor } 在「{ $unit }」{ $action }：{ $before } → { $after }
member-log-none = 「{ $unit }」及下级单元还没有成员变更记录。

# /score /rank
score-changed =
    🏠 房东积分变动：<b>{ $delta }</b>（{ $reason }）
    { $unit } · { $period } 现为 <b>{ $total }</b> 分
score-reason-early = 返回人员到达前（或到达时）即上报，#{ $incident }
score-reason-late = 返回人员到达超过 { $hours } 小时后才上报，#{ $incident }
score-done = ✅ 已为 { $name }（{ $unit }）记 { $delta } 分：{ $reason }。本期现为 { $total } 分，已私信告知本人。
rank-head = 🏠 <b>{ $scope }</b> 房东积分排名（{ $period }，共 { $count } 位房东）
rank-weekly-head = 📣 <b>本周房东积分排名</b> · { $scope }（{ $period }，共 { $count } 位房东）
rank-best-head = 🌟 五好房东：
rank-worst-head = 🚜 拖拉机房东：
rank-line = 　第 { $place } 名 { $name }（{ $unit }）{ $score } 分
rank-none = 无
rank-all-tied = 全部同分（{ $score } 分），不评拖拉机房东。
rank-rule = 同分并列同一名次、全部列出（按姓名排序），同一人不同时列入两榜。
rank-empty = 「{ $scope }」下没有房东单元。

error-person-missing = 请写上姓名，或回复此人的消息再发命令。
error-person-unknown = 塔群里没有「{ $who }」。
error-person-ambiguous = 有不止一位「{ $who }」：{ $units }。请在姓名后写单元代码，或回复其消息。
error-card-outside = 只能查看本人、同单元成员和下级单元人员的卡片；「{ $who }」不在您的指挥链内。
error-member-which-unit = 请在单元群里使用，或写上单元代码。
error-member-not-allowed = 只有「{ $unit }」或其上级单元的指挥长、副指挥长可以修改成员。
error-member-bad-name = 姓名请写 1 到 { $max } 个字。
error-member-exists = { $who } 已是「{ $unit }」的成员。
error-member-same-name = 「{ $unit }」里已有同名的「{ $who }」，请回复其消息再操作，或用不同的写法区分。
error-member-cap = 「{ $unit }」是{ $level }级单元，最多 { $max } 人，现有 { $count } 人，不能再添加。请拆分单元或先移除成员。
error-member-not-found = 「{ $unit }」没有叫「{ $who }」的人员。
error-member-is-commander = { $who } 是「{ $unit }」的指挥长，不能移除；请先在塔群文件中更换指挥长。
error-member-child-commander = { $who } 是下级单元「{ $child }」的指挥长；按塔群规则，下级指挥长必须是「{ $unit }」的成员，不能移除。
error-member-roles-missing = 请写上角色：巡查员、信息员、健康员、宣传员、管理员（多个用逗号分隔，「无」清空）。
error-member-phone-missing = 请写上 11 位手机号。
error-member-bad-args = 看不懂这条命令。{ $hint }
error-member-plan-expired = 此确认已失效，请重新发送 /member 命令。
error-member-not-yours = 只有发起修改的人可以确认或取消。
error-score-bad-points = 分数请写 +1 到 +{ $max } 或 -1 到 -{ $max }，例如 /score 田晓强 +2 调解租客纠纷。
error-score-reason-missing = 请写上加减分的原因，例如 /score 田晓强 -1 未按时消毒公共区域。
error-score-reason-too-long = 原因太长（最多 { $max } 字）。
error-score-self = 不能给自己加减分。
error-score-not-allowed = 只有房东所在的{ $level }级单元及以上的指挥长、副指挥长可以加减分。
error-score-not-landlord = 「{ $who }」不是房东（房东单元的指挥长）。
error-score-which-unit = { $who } 是几个房东单元的指挥长：{ $units }。请在姓名后写单元代码。
error-score-usage = 格式：/score 姓名 ±分 原因，例如 /score 田晓强 +2 调解租客纠纷。
