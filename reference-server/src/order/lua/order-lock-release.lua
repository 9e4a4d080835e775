-- Compare-and-delete: a holder whose lease expired must not free the next holder's lock.
-- Several releases share one call (group commit), each decided as if alone.
-- The PUBLISH wakes one waiter per server process instead of letting them poll; it is sent
-- only when a refused attempt marked the value (token .. '+', see the acquire script), so an
-- uncontended order costs no message to every subscribed server.
-- KEYS: one lock key per release.  ARGV: 1 release channel, then the owner token of each.
-- Returns per release 1 when this owner's lock was deleted, 0 when it was not (no longer) ours.
local out = {}
for i = 1, #KEYS do
  local holder, token = redis.call('GET', KEYS[i]), ARGV[i + 1]
  if holder == token then
    redis.call('DEL', KEYS[i])
    out[i] = 1
  elseif holder == token .. '+' then
    redis.call('DEL', KEYS[i])
    redis.call('PUBLISH', ARGV[1], KEYS[i])
    out[i] = 1
  else
    out[i] = 0
  end
end
return out
