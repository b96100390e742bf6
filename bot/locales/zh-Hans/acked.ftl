# 已收到但未上报：单独的提醒，/pending 区分「未查看」和「已收到、未上报」

reminder-acked = ⏰ 指令 #{ $order }「{ $text }」还剩{ $remaining }：「{ $unit }」已收到但未上报{ $kind ->
    [list] 清单
   *[other] 数字
}，请 { $commander } 回复指令消息上报。{ $late }
pending-unseen = （未查看）
pending-seen = （已收到，未上报）
pending-seen-below = （已收到，等下级）
