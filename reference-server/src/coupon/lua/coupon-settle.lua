-- The consumer's Redis side of one committed batch, for one coupon, in one round trip. Steps
-- run in the batch's message order (the same user may appear twice). A step acts on a
-- reservation only while the pending hash still holds that very request id for the user
-- ("mine"): a redelivery, a re-sent copy, or a request whose reservation a later one replaced
-- can then never undo a reservation another answer stands on, and settling twice is a no-op.
--   'c' issued:        ensure the member (SADD + DECR if Redis had lost it), clear the entry.
--   'a' already held by this request (a redelivery):        clear the entry.
--   'd' held by another request (DB duplicate): the user does hold the coupon, so the member
--       stays; this reservation's stock is given back (INCR).
--   's' DB sold out:   SREM + INCR + sold-out flag.
-- A pending hash left empty leaves the pending index (see coupon-reserve.lua).
-- KEYS: 1 issued set, 2 stock counter, 3 sold-out flag, 4 pending hash, 5 pending index.
-- ARGV: op, userId, requestId, op, userId, requestId, ...
-- Returns, per step, 1 when it changed the stock, else 0.
local changed = {}
for i = 1, #ARGV, 3 do
  local op, user, request = ARGV[i], ARGV[i + 1], ARGV[i + 2]
  local pending = redis.call('HGET', KEYS[4], user)
  local mine = pending ~= false and string.sub(pending, 1, #request + 1) == request .. '|'
  local c = 0
  if op == 'c' then
    if redis.call('SADD', KEYS[1], user) == 1 then
      redis.call('DECR', KEYS[2])
      c = 1
    end
  elseif op == 'd' and mine then
    redis.call('SADD', KEYS[1], user)
    redis.call('INCR', KEYS[2])
    c = 1
  elseif op == 's' then
    if mine and redis.call('SREM', KEYS[1], user) == 1 then
      redis.call('INCR', KEYS[2])
      c = 1
    end
    redis.call('SET', KEYS[3], '1')
  end
  if mine then
    redis.call('HDEL', KEYS[4], user)
  end
  changed[#changed + 1] = c
end
if redis.call('HLEN', KEYS[4]) == 0 then
  redis.call('SREM', KEYS[5], KEYS[4])
end
return changed
