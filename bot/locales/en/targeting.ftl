# Targeted orders: /order [DURATION] [KIND] [L3] [#kind] [+tag] [@role] TEXT

targeting-copy = 🎯 Targeted order ({ $words }).
targeting-copy-roles = 🎯 Targeted order ({ $words }): the unit's { $roles } press "received" and report for the unit.
targeting-issued = 🎯 Scope: { $words }
targeting-issued-roles = 🎯 Scope: { $words }; answered by { $roles }: { $holders } people
form-scope = Scope: { $scope }
form-scope-all = all units below
form-preview-holders = {" "}({ $roles }: { $holders } people answer)
error-order-bad-filter = "{ $word }" is not a valid scope. Levels are L1 to L5; roles are @patroller, @informant, @health, @publicity, @admin.
error-order-no-match = No unit under "{ $unit }" matches "{ $words }"; the order was not sent.
error-not-role-holder = This order is answered for "{ $unit }" by its { $roles }.
form-ask-scope = You may start with a scope: L3 (level), #shop_row (unit kind), +tag, @health (role: its holders answer); without one it goes to every unit below.
