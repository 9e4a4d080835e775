-- The consumer's Redis side of one committed batch, for one coupon, in one round trip: the
-- steps run in the batch's message order, because the same user may appear twice (issued,
-- then a duplicate) and confirm/release on one member do not commute.
--   'c' confirm (issued): normally a no-op; if the reservation had been undone (a produce that
--       timed out but landed), SADD + DECR take it again so Redis matches the database.
--   'r' release (DB duplicate): SREM + INCR.   's' release + sold-out flag (DB sold out).
-- A release INCRs only when its SREM removed the user, so settling a redelivered batch again
-- never inflates the stock.
-- KEYS: 1 issued set, 2 stock counter, 3 sold-out flag.  ARGV: op, userId, op, userId, ...
-- Returns, per step, 1 when it changed the set (repaired / released), else 0.
local changed = {}
for i = 1, #ARGV, 2 do
  local op, user = ARGV[i], ARGV[i + 1]
  local c = 0
  if op == 'c' then
    if redis.call('SADD', KEYS[1], user) == 1 then
      redis.call('DECR', KEYS[2])
      c = 1
    end
  else
    if redis.call('SREM', KEYS[1], user) == 1 then
      redis.call('INCR', KEYS[2])
      c = 1
    end
    if op == 's' then
      redis.call('SET', KEYS[3], '1')
    end
  end
  changed[#changed + 1] = c
end
return changed
