-- Run after the database issued a coupon. Normally the user is already in the set (their
-- reservation) and this does nothing. If not, the reservation was undone after a produce
-- that timed out but did land; take the stock now so Redis matches the database again.
-- KEYS: 1 issued set, 2 stock counter.  ARGV: 1 user id.  Returns 1 when it repaired.
if redis.call('SADD', KEYS[1], ARGV[1]) == 1 then
  redis.call('DECR', KEYS[2])
  return 1
end
return 0
