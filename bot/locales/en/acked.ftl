# Received but not answered: its own reminder; /pending tells "not seen" from "seen, no value"

reminder-acked = ⏰ Order #{ $order } "{ $text }", { $remaining } left: "{ $unit }" pressed received but sent no { $kind ->
    [list] list
   *[other] number
} yet; { $commander }, please reply to the order with it.{ $late }
pending-unseen = { " " }(not seen)
pending-seen = { " " }(seen, no value)
pending-seen-below = { " " }(seen, waiting for units below)
