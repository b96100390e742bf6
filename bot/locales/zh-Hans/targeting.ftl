# 定向指令：/order [时限] [类型] [L3] [#类型] [+标签] [@角色] 内容

targeting-copy = 🎯 定向指令（{ $words }）。
targeting-copy-roles = 🎯 定向指令（{ $words }）：请本单元{ $roles }代表本单元点「收到」和上报。
targeting-issued = 🎯 范围：{ $words }
targeting-issued-roles = 🎯 范围：{ $words }，由{ $roles }回复，共 { $holders } 人
form-scope = 范围：{ $scope }
form-scope-all = 全部下级单元
form-preview-holders = （{ $roles } { $holders } 人回复）
error-order-bad-filter = 「{ $word }」不是有效的范围。级别写 L1 到 L5，角色写 @巡查员、@信息员、@健康员、@宣传员、@管理员。
error-order-no-match = 「{ $unit }」下没有符合「{ $words }」的单元，指令未下达。
error-not-role-holder = 本指令由「{ $unit }」的 { $roles } 代表本单元回复。
form-ask-scope = 可在内容前写范围：L3（级别）、#shop_row（单元类型）、+标签、@健康员（角色，由该角色回复）；不写则发往全部下级单元。
