-- Compare-and-delete: a holder whose lease expired must not free the next holder's lock.
-- The PUBLISH wakes one waiter per server process instead of letting them poll; it is sent
-- only when a refused attempt marked the value (token .. '+', see the acquire script), so an
-- uncontended order costs no message to every subscribed server.
-- KEYS: 1 lock key.  ARGV: 1 owner token, 2 release channel.
-- Returns 1 when this owner's lock was deleted, 0 when it was not (no longer) ours.
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
if holder == ARGV[1] .. '+' then
  redis.call('DEL', KEYS[1])
  redis.call('PUBLISH', ARGV[2], KEYS[1])
  return 1
end
return 0
