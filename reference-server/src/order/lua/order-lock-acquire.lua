-- Takes locks and hands out a fencing token with each, in one step, so no holder ever runs
-- without a token and tokens only ever grow (Kleppmann's fix for a holder that pauses past its
-- lease). Several acquisitions share one call (group commit); each is decided as if alone, in
-- order, so the same lock asked for twice is taken once.
-- A refused attempt marks the holder's value with a trailing '+' (APPEND keeps the TTL): the
-- release then knows someone waits and announces itself; an uncontended release stays silent.
-- KEYS: lock key, fence counter (never expires: it must outlive every token in MySQL) — a pair
-- per acquisition.  ARGV: 1 lease in ms, then the owner token (random per acquisition) of each.
-- Returns a pair per acquisition: 1, fence when taken; 0, ms until the current lease ends when
-- someone holds it.
local out = {}
for i = 1, #KEYS / 2 do
  local lock, fence = KEYS[2 * i - 1], KEYS[2 * i]
  if redis.call('SET', lock, ARGV[i + 1], 'NX', 'PX', ARGV[1]) then
    out[#out + 1] = 1
    out[#out + 1] = redis.call('INCR', fence)
  else
    local holder = redis.call('GET', lock)
    if holder and string.sub(holder, -1) ~= '+' then
      redis.call('APPEND', lock, '+')
    end
    out[#out + 1] = 0
    out[#out + 1] = redis.call('PTTL', lock)
  end
end
return out
