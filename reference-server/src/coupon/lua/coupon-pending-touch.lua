-- Re-stamps a pending reservation after the server re-sent its request, only if the entry is
-- still the one it read (the consumer may have settled it meanwhile, or a new reservation
-- replaced it), so the next sweep waits a full timeout before sending it again.
-- KEYS: 1 pending hash.  ARGV: 1 user id, 2 entry as read, 3 new entry.
if redis.call('HGET', KEYS[1], ARGV[1]) == ARGV[2] then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
  return 1
end
return 0
