-- Gives a reservation back: the undo after a failed produce and the seed's compensations
-- (DB sold out: INCR + SREM + flag; DB duplicate: INCR + SREM). The INCR happens only when
-- the SREM removed the user, so releasing the same reservation twice cannot inflate stock.
-- KEYS: 1 issued set, 2 stock counter, 3 sold-out flag.  ARGV: 1 user id, 2 '1' to set the flag.
local released = 0
if redis.call('SREM', KEYS[1], ARGV[1]) == 1 then
  redis.call('INCR', KEYS[2])
  released = 1
end
if ARGV[2] == '1' then
  redis.call('SET', KEYS[3], '1')
end
return released
