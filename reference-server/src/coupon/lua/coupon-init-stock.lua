-- Loads a coupon's remaining stock from the database the first time it is asked for.
-- NX: when two requests race to load, the first wins and the second must not reset a
-- counter that reservations may already have decremented.
-- KEYS: 1 stock counter, 2 sold-out flag.  ARGV: 1 remaining (total - issued).
if redis.call('SET', KEYS[1], ARGV[1], 'NX') and tonumber(ARGV[1]) <= 0 then
  redis.call('SET', KEYS[2], '1')
end
return redis.call('GET', KEYS[1])
