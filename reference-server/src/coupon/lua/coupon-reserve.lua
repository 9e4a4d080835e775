-- Dedupe, sold-out check and stock reservation in one atomic step, for a batch of requests in
-- one round trip: no other client can run between a SADD and its DECR, so the set and the
-- counter never disagree. Requests are handled in order, each exactly as if alone.
-- A new reservation is also entered in the pending hash under its request id, until the
-- consumer settles it; a user who asks again while it is pending gets that request id back,
-- so the retry re-sends the same request instead of being refused or reserving twice.
-- The pending hash's key joins the pending index (KEYS[5]) so that the sweeper finds it.
-- KEYS: 1 issued set, 2 stock counter, 3 sold-out flag, 4 pending hash, 5 pending index.
-- ARGV: user id, request id, now (ms) — one triple per request.
-- Returns {code, pending, code, pending, ...}, a pair per request: 0 reserved, 1 already
-- issued, 2 sold out, 3 stock not loaded yet, 4 a reservation of this user is pending
-- (pending = 'requestId|ms').
local out = {}
local n = #ARGV / 3
if redis.call('EXISTS', KEYS[2]) == 0 then
  for _ = 1, n do
    out[#out + 1] = 3
    out[#out + 1] = ''
  end
  return out
end
-- Read once per batch: only this script sets it, and nothing else runs while it does.
local soldOut = redis.call('EXISTS', KEYS[3]) == 1
-- Set when this call entered a reservation in the pending hash.
local entered = false
local function held(user)
  local pending = redis.call('HGET', KEYS[4], user)
  if pending then
    return 4, pending
  end
  return 1, ''
end
local function reserve(user, request, now)
  if soldOut then
    -- Nothing to reserve: only "already holds it" can still be told apart from "sold out".
    if redis.call('SISMEMBER', KEYS[1], user) == 1 then
      return held(user)
    end
    return 2, ''
  end
  if redis.call('SADD', KEYS[1], user) == 0 then
    return held(user)
  end
  if redis.call('DECR', KEYS[2]) < 0 then
    -- The seed's "Redis sold out -> INCR at once", plus the SREM the seed forgot: a user turned
    -- away for stock must not later be told "already issued". The flag spares later callers
    -- the DECR/INCR pair.
    redis.call('INCR', KEYS[2])
    redis.call('SREM', KEYS[1], user)
    redis.call('SET', KEYS[3], '1')
    soldOut = true
    return 2, ''
  end
  local entry = request .. '|' .. now
  redis.call('HSET', KEYS[4], user, entry)
  entered = true
  return 0, entry
end
for i = 1, #ARGV, 3 do
  local code, entry = reserve(ARGV[i], ARGV[i + 1], ARGV[i + 2])
  out[#out + 1] = code
  out[#out + 1] = entry
end
if entered then
  redis.call('SADD', KEYS[5], KEYS[4])
end
return out
