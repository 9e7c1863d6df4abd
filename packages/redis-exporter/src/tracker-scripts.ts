import { LuaScript } from './lua-script';

/**
 * Writes one batch of an exporter atomically, at most once. Its arguments
 * and reply are spelled out, typed, by WriteBatch (write-batch.ts).
 *
 * KEYS: processors, past_tasks, exporters (hash of exporter records), the
 * exporter's owned-task set, processes (hash of health records), then per
 * second of counters its per-second and its per-ten-seconds counts hash. ARGV: task_updates channel, exporter id,
 * batch sequence, dead-after ms, max completed, publish on task_updates
 * ('0' | '1' | 'auto'), host, pid, the active tasks written as
 * `id\njson\nid\njson...`, the ends likewise as pairs of (processor id or ''
 * when never active, json or '' when only the removal is left), the updates
 * channel, publish on it ('0' | '1' | 'auto'), the counters as lines (`#second`
 * starts a second's section, then field and increment lines), the seconds
 * the per-second and per-ten-seconds hashes are kept, and the process's
 * health record as JSON ('' when not due), to which `seen` is added.
 *
 * A batch whose sequence is not above the one recorded was already applied
 * (its reply was lost and the exporter retried): it is not applied again. The
 * first write is the exporter record, a command Redis refuses when out of
 * memory, so a refused batch leaves nothing behind. A tombstone record means a
 * cleaner declared this exporter dead and moved its active tasks to
 * past_tasks; ends of those tasks are then not pushed a second time.
 *
 * On the updates channel it publishes one message for the whole batch,
 * made of the JSON it was given, not encoded again:
 * `{"exporter":id,"active":[task...],"completed":[task...],"removed":[id...]}`.
 *
 * Returns {applied 1|0, state (0 known, 1 no record, 2 tombstone), ends not
 * pushed because already cleaned, task_updates subscribers (-1 when not asked)}.
 */
export const WRITE_BATCH_SCRIPT = new LuaScript(`
if redis.replicate_commands then redis.replicate_commands() end
local processors, past, exporters, owned, processes = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local channel, id, seq = ARGV[1], ARGV[2], tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = 1
local raw = redis.call('HGET', exporters, id)
if raw then
  local ok, rec = pcall(cjson.decode, raw)
  if ok and type(rec) == 'table' then
    if rec.cleaned_at then
      state = 2
    else
      state = 0
      if tonumber(rec.seq) and tonumber(rec.seq) >= seq then return {0, 0, 0, -1} end
    end
  end
end
redis.call('HSET', exporters, id, cjson.encode({seen = now, dead_after = tonumber(ARGV[4]), seq = seq, host = ARGV[7], pid = tonumber(ARGV[8])}))
local health = ARGV[16]
if string.sub(health, -1) == '}' then
  redis.call('HSET', processes, id, string.sub(health, 1, -2) .. ',"seen":' .. string.format('%d', now) .. '}')
end

local function listening(mode, name)
  if mode == 'auto' then return tonumber(redis.call('PUBSUB', 'NUMSUB', name)[2]) end
  if mode == '1' then return 1 end
  return 0
end
local subscribers = -1
if ARGV[6] == 'auto' then subscribers = listening('auto', channel) end
local publish = (ARGV[6] == '1') or (subscribers > 0)

-- Pairs come as one newline-separated string each: task JSON never holds a raw newline, and one
-- large argument costs the writer far less event-loop time than thousands of small ones.
local function lines(blob)
  local out, pos = {}, 1
  if blob == '' then return out end
  while true do
    local nl = string.find(blob, '\\n', pos, true)
    if not nl then
      out[#out + 1] = string.sub(blob, pos)
      return out
    end
    out[#out + 1] = string.sub(blob, pos, nl - 1)
    pos = nl + 1
  end
end

local starts = lines(ARGV[9])
local fields, members = {}, {}
for k = 1, #starts - 1, 2 do
  fields[#fields + 1] = starts[k]
  fields[#fields + 1] = starts[k + 1]
  members[#members + 1] = starts[k]
  if #fields >= 1000 then
    redis.call('HSET', processors, unpack(fields))
    redis.call('SADD', owned, unpack(members))
    fields, members = {}, {}
  end
end
if #fields > 0 then
  redis.call('HSET', processors, unpack(fields))
  redis.call('SADD', owned, unpack(members))
end

local ends = lines(ARGV[10])
local superseded = 0
local pushes, pushed, removed = {}, {}, {}
for k = 1, #ends - 1, 2 do
  local tid, json = ends[k], ends[k + 1]
  local keep = true
  if tid ~= '' then
    local gone = redis.call('SREM', owned, tid)
    redis.call('HDEL', processors, tid)
    if state == 2 and gone == 0 then keep = false end
    if json == '' then removed[#removed + 1] = tid end
  end
  if json ~= '' then
    if keep then
      pushes[#pushes + 1] = json
      pushed[#pushed + 1] = json
    else
      superseded = superseded + 1
    end
  end
  if #pushes >= 1000 then
    redis.call('LPUSH', past, unpack(pushes))
    pushes = {}
  end
end
if #pushes > 0 then redis.call('LPUSH', past, unpack(pushes)) end
if #ends > 0 then redis.call('LTRIM', past, 0, tonumber(ARGV[5]) - 1) end

local counters = lines(ARGV[13])
local section, perSecond, perTen, second = 0, nil, nil, 0
local k = 1
while k <= #counters do
  local line = counters[k]
  if string.sub(line, 1, 1) == '#' then
    if perSecond then
      redis.call('EXPIREAT', perSecond, second + tonumber(ARGV[14]))
      redis.call('EXPIREAT', perTen, second - second % 10 + 10 + tonumber(ARGV[15]))
    end
    section = section + 1
    second = tonumber(string.sub(line, 2))
    perSecond, perTen = KEYS[4 + 2 * section], KEYS[5 + 2 * section]
    k = k + 1
  else
    local by = tonumber(counters[k + 1])
    redis.call('HINCRBY', perSecond, line, by)
    redis.call('HINCRBY', perTen, line, by)
    k = k + 2
  end
end
if perSecond then
  redis.call('EXPIREAT', perSecond, second + tonumber(ARGV[14]))
  redis.call('EXPIREAT', perTen, second - second % 10 + 10 + tonumber(ARGV[15]))
end

if publish then
  for k = 2, #starts, 2 do redis.call('PUBLISH', channel, starts[k]) end
  for k = 1, #pushed do redis.call('PUBLISH', channel, pushed[k]) end
end
if (#starts > 0 or #ends > 0) and listening(ARGV[12], ARGV[11]) > 0 then
  local active = {}
  for k = 2, #starts, 2 do active[#active + 1] = starts[k] end
  for k = 1, #removed do removed[k] = cjson.encode(removed[k]) end
  redis.call('PUBLISH', ARGV[11], '{"exporter":' .. cjson.encode(id) .. ',"active":[' .. table.concat(active, ',') ..
    '],"completed":[' .. table.concat(pushed, ',') .. '],"removed":[' .. table.concat(removed, ',') .. ']}')
end
return {1, state, superseded, subscribers}
`);

/**
 * Moves the active tasks of one dead exporter to past_tasks, atomically, so
 * two cleaners never move a task twice.
 *
 * KEYS: processors, past_tasks, exporters, the exporter's owned-task set,
 * processes. ARGV: channel, exporter id, the `seen` the cleaner read (the record must be
 * unchanged), ended_at to write (the time it was last seen), max completed,
 * publish on task_updates ('0' | '1'), the updates channel, publish on it
 * ('0' | '1' | 'auto'): one message with every task moved, as a batch's.
 *
 * Dead means: by Redis's clock, more than the exporter's own dead_after
 * since it was last seen. Each task gets ended_at (never before its own
 * started_at), updated_at, and recorded_successfully false: the wire meaning
 * of "cleaned up by a monitor". The record becomes a tombstone so the
 * exporter, should it come back, does not push those tasks again; tombstones
 * older than an hour are removed, with the process's health record. Only tasks in the owned set are touched:
 * writers without a heartbeat (the Python Top Framework) never are.
 *
 * Returns the number of tasks moved, or -1 when the exporter is not dead.
 */
export const CLEAN_EXPORTER_SCRIPT = new LuaScript(`
if redis.replicate_commands then redis.replicate_commands() end
local processors, past, exporters, owned = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local channel, id, seen, endedAt = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local raw = redis.call('HGET', exporters, id)
if not raw then return -1 end
local ok, rec = pcall(cjson.decode, raw)
if not ok or type(rec) ~= 'table' or not tonumber(rec.seen) then return -1 end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if rec.cleaned_at then
  if now - tonumber(rec.cleaned_at) > 3600000 then
    redis.call('HDEL', exporters, id)
    redis.call('HDEL', KEYS[5], id)
  end
  return -1
end
if string.format('%d', tonumber(rec.seen)) ~= seen then return -1 end
if now - tonumber(rec.seen) <= (tonumber(rec.dead_after) or 10000) then return -1 end

local moved, completed = 0, {}
for _, tid in ipairs(redis.call('SMEMBERS', owned)) do
  local json = redis.call('HGET', processors, tid)
  if json then
    local ended = endedAt
    local started = string.match(json, '"started_at":"([^"]*)"')
    if started and started > ended then ended = started end
    ended = string.gsub(ended, '%%', '%%%%')
    json = string.gsub(json, '"updated_at":"[^"]*"', '"updated_at":"' .. ended .. '"', 1)
    json = string.gsub(json, '"updated_at":null', '"updated_at":"' .. ended .. '"', 1)
    json = string.gsub(json, '"ended_at":null', '"ended_at":"' .. ended .. '"', 1)
    json = string.gsub(json, '"recorded_successfully":null', '"recorded_successfully":false', 1)
    redis.call('LPUSH', past, json)
    redis.call('HDEL', processors, tid)
    if ARGV[6] == '1' then redis.call('PUBLISH', channel, json) end
    moved = moved + 1
    completed[moved] = json
  end
end
redis.call('DEL', owned)
if moved > 0 then
  redis.call('LTRIM', past, 0, tonumber(ARGV[5]) - 1)
  if ARGV[8] == '1' or (ARGV[8] == 'auto' and tonumber(redis.call('PUBSUB', 'NUMSUB', ARGV[7])[2]) > 0) then
    redis.call('PUBLISH', ARGV[7], '{"exporter":' .. cjson.encode(id) .. ',"active":[],"completed":[' .. table.concat(completed, ',') .. '],"removed":[]}')
  end
end
redis.call('HSET', exporters, id, cjson.encode({cleaned_at = now, seen = tonumber(rec.seen), host = rec.host, pid = rec.pid}))
return moved
`);

/**
 * Removes an exporter's records and owned set at a clean shutdown, after its
 * in-flight tasks were ended. KEYS: exporters, owned set, processes. ARGV:
 * exporter id.
 */
export const UNREGISTER_SCRIPT = new LuaScript(`
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2])
redis.call('HDEL', KEYS[3], ARGV[1])
return 1
`);
