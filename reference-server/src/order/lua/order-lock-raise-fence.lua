-- Repairs a fence counter that fell behind MySQL (Redis restarted without persistence, or a
-- key was flushed): without this, every order of that user would be refused as stale forever.
-- Only the current holder (value: its token, or token .. '+' once a waiter marked it) may do
-- it, so no older holder can ever be handed a fresh token.
-- KEYS: 1 lock key, 2 fence counter.  ARGV: 1 owner token, 2 the largest fence MySQL has seen.
-- Returns the new fencing token, or 0 when the lock is no longer this owner's.
local holder = redis.call('GET', KEYS[1])
if holder ~= ARGV[1] and holder ~= ARGV[1] .. '+' then
  return 0
end
local current = tonumber(redis.call('GET', KEYS[2]) or '0')
if current < tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], ARGV[2])
end
return redis.call('INCR', KEYS[2])
