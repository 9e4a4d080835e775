-- Dedupe, sold-out check and stock reservation in one atomic step (one round trip): no other
-- client can run between the SADD and the DECR, so the set and the counter never disagree.
-- A new reservation is also entered in the pending hash under its request id, until the
-- consumer settles it; a user who asks again while it is pending gets that request id back,
-- so the retry re-sends the same request instead of being refused or reserving twice.
-- KEYS: 1 issued set, 2 stock counter, 3 sold-out flag, 4 pending hash.
-- ARGV: 1 user id, 2 request id, 3 now (ms).
-- Returns {code, pending}: 0 reserved, 1 already issued, 2 sold out, 3 stock not loaded yet,
-- 4 a reservation of this user is pending (pending = 'requestId|ms').
if redis.call('EXISTS', KEYS[2]) == 0 then
  return {3, ''}
end
if redis.call('SADD', KEYS[1], ARGV[1]) == 0 then
  local pending = redis.call('HGET', KEYS[4], ARGV[1])
  if pending then
    return {4, pending}
  end
  return {1, ''}
end
if redis.call('EXISTS', KEYS[3]) == 1 then
  redis.call('SREM', KEYS[1], ARGV[1])
  return {2, ''}
end
if redis.call('DECR', KEYS[2]) < 0 then
  -- The seed's "Redis sold out -> INCR at once", plus the SREM the seed forgot: a user turned
  -- away for stock must not later be told "already issued". The flag spares later callers
  -- the DECR/INCR pair.
  redis.call('INCR', KEYS[2])
  redis.call('SREM', KEYS[1], ARGV[1])
  redis.call('SET', KEYS[3], '1')
  return {2, ''}
end
local entry = ARGV[2] .. '|' .. ARGV[3]
redis.call('HSET', KEYS[4], ARGV[1], entry)
return {0, entry}
