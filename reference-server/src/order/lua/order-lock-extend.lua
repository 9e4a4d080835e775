-- Renewal (Redisson's watchdog): push the lease out again, but only while we still own it
-- (the value is the token, or the token .. '+' once a waiter marked it).
-- KEYS: 1 lock key.  ARGV: 1 owner token, 2 lease in ms.
-- Returns 1 when extended, 0 when the lock is gone or someone else's.
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] or holder == ARGV[1] .. '+' then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
