-- Takes the lock and hands out a fencing token in one step, so no holder ever runs without
-- a token and tokens only ever grow (Kleppmann's fix for a holder that pauses past its lease).
-- A refused attempt marks the holder's value with a trailing '+' (APPEND keeps the TTL): the
-- release then knows someone waits and announces itself; an uncontended release stays silent.
-- KEYS: 1 lock key, 2 fence counter (never expires: it must outlive every token in MySQL).
-- ARGV: 1 owner token (random per acquisition), 2 lease in ms.
-- Returns {1, fence} when taken, {0, ms until the current lease ends} when someone holds it.
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return {1, redis.call('INCR', KEYS[2])}
end
local holder = redis.call('GET', KEYS[1])
if holder and string.sub(holder, -1) ~= '+' then
  redis.call('APPEND', KEYS[1], '+')
end
return {0, redis.call('PTTL', KEYS[1])}
