# 返回人员上报（20 分钟闭环）

cmd-returnee = 上报返回人员（租客、家人）
returnee-unknown = 未知
returnee-fields =
    人数：{ $count } · 来自：{ $origin } · 途经：{ $via }
    到达：{ $arrival } · 住址：{ $address }
    联系电话：{ $phone } · 姓名：{ $names }
returnee-arrival-day = { $month }月{ $day }日
returnee-arrival-part = { $day }{ $part }
returnee-arrival-time = { $day } { $time }
returnee-part-dawn = 凌晨
returnee-part-morning = 上午
returnee-part-noon = 中午
returnee-part-afternoon = 下午
returnee-part-dusk = 傍晚
returnee-part-evening = 晚上
returnee-part-night = 深夜
returnee-high-risk = 🔴 途经或来自高风险地区，建议集中隔离
returnee-normal = 🟡 一般地区
returnee-draft =
    📝 返回人员上报 #{ $id }（{ $unit }），机器人理解如下：
    { $fields }
    { $risk }{ $questions }
    请核对后点「确认上报」；有误或要补充，请<b>回复本消息</b>，只写要改的内容即可。
returnee-questions = {"\u000A"}❓ 还缺：{ $items }（可回复补充）
returnee-check = {"\u000A"}❓ 请核实：{ $items }（有误可回复改正）
returnee-ask-count = 人数
returnee-ask-origin = 从哪里来
returnee-ask-via = 途经哪里
returnee-ask-arrival = 到达时间
returnee-ask-address = 住址
returnee-ask-phone = 联系电话
returnee-confirm = ✅ 确认上报
returnee-discard = ✖ 取消
returnee-discarded = 已取消，未上报。
returnee-confirmed = 已上报。
returnee-alert =
    🚨 返回人员 #{ $id }：「{ $unit }」上报，请 { $commander } 20 分钟内处置
    { $fields }
    { $risk }{ $state }
returnee-alert-escalated =
    ⏫ 返回人员 #{ $id }：「{ $unit }」上报已{ $overdue }未落实，逐级上报，请 { $commander } 督办
    { $fields }
    { $risk }{ $state }
returnee-state-disposed = {"\u000A"}➡️ 已安排：{ $disposition }，落实后请点「落实」
returnee-state-done = {"\u000A"}✅ 已落实（用时 { $minutes } 分钟）
returnee-details =
    🔒 返回人员 #{ $id } 完整信息（仅发给指挥长，请勿转发）
    单元：{ $unit } · 上报人：{ $reporter }
    { $fields }
    身份证号：{ $ids }
    原文：{ $text }
    { $risk }
returnee-done = ✅ 落实
disposition-register = 到服务站登记
disposition-home = 居家观察
disposition-central = 集中隔离
disposition-none = 无需处置
returnee-stage-open = 📨 #{ $id } 已上报「{ $handler }」，等待处置（20 分钟内）。
returnee-stage-disposed = ➡️ #{ $id }「{ $handler }」已安排：{ $disposition }。
returnee-stage-done = ✅ #{ $id } 已落实，从上报到落实用时 { $minutes } 分钟。
returnee-form-count = 👥 几个人回来？请<b>回复本消息</b>（如：带5位家人、一家三口、3人）。
returnee-form-count-again = 「{ $value }」是估计数，汇总需要确切人数：请再回复一次确切的人数；确实不清楚就回复「跳过」，草稿里会标为待核实。
returnee-form-origin = 🧭 从哪里回来？（省或市）
returnee-form-via = 🛣 途经哪里？（没有就点「跳过」）
returnee-form-arrival = 🕒 什么时候到？（如：今晚、明天下午、3月17日）
returnee-form-address = 🏠 住在哪里？（如：溪西村12号）
returnee-form-phone = 📞 联系电话？
returnee-form-origin-again = 「{ $value }」不是地名：请回复从哪里回来（省或市，如：湖北孝感）；不清楚就点「跳过」。
returnee-form-via-again = 「{ $value }」不是地名：请回复途经哪里（如：武汉）；没有就点「跳过」。
returnee-form-arrival-again = 「{ $value }」不是时间：请回复什么时候到（如：今晚、明天下午、3月17日）；不清楚就点「跳过」。
returnee-form-address-again = 「{ $value }」不是住址：请回复住在哪里（如：溪西村12号、3幢201），电话下一步再填；不清楚就点「跳过」。
returnee-form-phone-again = 「{ $value }」不是电话号码：请回复手机或座机号码（如：13900001111）；没有就点「跳过」。
returnee-form-skip = 跳过
returnee-form-expired = 此表单已失效或不是您发起的，请发送 /returnee 重新开始。
error-returnee-empty = 请写上返回人员的情况，例如：/returnee 租客老李带5位家人从湖南回来，途经武汉，住溪西村12号
error-returnee-too-long = 内容太长（最多 { $max } 字）。
error-not-a-member = 只有「{ $unit }」的成员可以在本群上报。
error-incident-unknown = 没有编号为 #{ $incident } 的上报。
error-incident-already-confirmed = 上报 #{ $incident } 已确认，无法再修改；如有更正，请联系上级指挥长，或用 /returnee 重新上报并说明。
error-not-the-reporter = 只有上报人本人可以确认或修改。
error-not-the-reporter-or-commander = 只有上报人本人、本单元的指挥长或副指挥长可以确认或取消。
error-incident-closed = 上报 #{ $incident } 已落实。
error-incident-needs-disposition = 请先选择处置方式，再点「落实」。
error-incident-not-here = 上报 #{ $incident } 不归本群处置。
error-form-expired = 此按钮已失效。

## /incidents (bot/incident_presenter.py)

cmd-incidents = 返回人员事件：/incidents [open|today]

inclist-head = 📋「{ $unit }」{ $which ->
    [open] 未结的
    [today] 今日的
   *[all] 最近的
}返回人员事件，共 { $count } 起（🔴 高风险 · 🟡 一般）：
inclist-none = 「{ $unit }」没有{ $which ->
    [open] 未结的
    [today] 今日的
   *[all] 任何
}返回人员事件。
inclist-line = { $mark } #{ $id } { $unit } · { $people } · { $route } · { $state } · { $age }{ $escalated }
inclist-people = { $count } 人
inclist-people-unknown = 人数待核实
inclist-route = { $origin }{ $via }
inclist-via = （途经 { $places }）
inclist-origin-unknown = 来处待核实
inclist-state-open = 待处置
inclist-state-disposed = 已定：{ $disposition }，待落实
inclist-state-done = 已落实：{ $disposition }
inclist-disposition-register = 服务站登记
inclist-disposition-home = 居家观察
inclist-disposition-central = 集中隔离
inclist-disposition-none = 无需处置
inclist-escalated = { " " }· ⏫ 已上报 { $count } 级
inclist-more = ……另有 { $count } 起未列出
inclist-age-now = 刚刚
inclist-age-minutes = { $minutes } 分钟前
inclist-age-hours = { $hours } 小时 { $minutes } 分钟前
inclist-age-days = { $days } 天 { $hours } 小时前

error-inclist-usage = 格式：/incidents [open|today]：open 只看未结的，today 只看今天报告的，不写则看最近的。
