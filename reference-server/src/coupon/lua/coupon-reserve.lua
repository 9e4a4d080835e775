-- Dedupe, sold-out check and stock reservation in one atomic step (one round trip): no other
-- client can run between the SADD and the DECR, so the set and the counter never disagree.
-- KEYS: 1 issued set, 2 stock counter, 3 sold-out flag.  ARGV: 1 user id.
-- Returns 0 reserved, 1 already issued/requested, 2 sold out, 3 stock not loaded yet.
if redis.call('EXISTS', KEYS[2]) == 0 then
  return 3
end
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then
  return 1
end
if redis.call('EXISTS', KEYS[3]) == 1 then
  redis.call('SREM', KEYS[1], ARGV[1])
  return 2
end
if redis.call('DECR', KEYS[2]) < 0 then
  -- The seed's "Redis sold out -> INCR at once", plus the SREM the seed forgot: a user turned
  -- away for stock must not later be told "already issued". The flag spares later callers
  -- the DECR/INCR pair.
  redis.call('INCR', KEYS[2])
  redis.call('SREM', KEYS[1], ARGV[1])
  redis.call('SET', KEYS[3], '1')
  return 2
end
return 0
