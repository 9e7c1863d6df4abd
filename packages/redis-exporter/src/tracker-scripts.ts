import { LuaScript } from './lua-script';

/**
 * Writes one batch of an exporter atomically, at most once. WriteBatch
 * (write-batch.ts) builds its keys and arguments from a typed request and
 * reads its reply; the order below is the one both sides name at the top.
 *
 * A batch whose sequence is not above the one recorded was already applied
 * (its reply was lost and the exporter retried): it is not applied again. The
 * first write is the exporter record, a command Redis refuses when out of
 * memory, so a refused batch leaves nothing behind. A tombstone record means a
 * cleaner declared this exporter dead and moved its active tasks to
 * past_tasks; ends of those tasks are then not pushed a second time, and a
 * batch already applied is not applied again either.
 *
 * Beside the table it keeps otel-top's own keys: the exporter's deadline in
 * a sorted set (so a cleaner finds the dead without reading every record),
 * every active task by its start time in another (so a viewer reads the
 * longest-running without reading them all), the live counters, the
 * process's health record, and the cleaner's lease, which it takes or
 * renews when asked and free or its own.
 *
 * On the updates channel it publishes one message for the whole batch,
 * made of the JSON it was given, not encoded again:
 * `{"exporter":id,"active":[task...],"completed":[task...],"removed":[id...]}`.
 */
export const WRITE_BATCH_SCRIPT = new LuaScript(`
if redis.replicate_commands then redis.replicate_commands() end
local processors, past, exporters, owned = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local processes, deadlines, byStart, lease = KEYS[5], KEYS[6], KEYS[7], KEYS[8]
local FIRST_COUNTS_KEY = 9
local channel, id, seq, deadAfter = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local maxCompleted, publishMode, host, pid = tonumber(ARGV[5]), ARGV[6], ARGV[7], tonumber(ARGV[8])
-- active: id, start ms, json, ...; ends: (id or ''), (json or ''), ...; both newline-separated.
local activeBlob, endsBlob, updates, publishBatch = ARGV[9], ARGV[10], ARGV[11], ARGV[12]
local countersBlob, secondTtl, tenSecondTtl, health = ARGV[13], tonumber(ARGV[14]), tonumber(ARGV[15]), ARGV[16]
local leaseMillis = tonumber(ARGV[17])

local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local state = 1
local raw = redis.call('HGET', exporters, id)
if raw then
  local ok, rec = pcall(cjson.decode, raw)
  if ok and type(rec) == 'table' then
    if rec.cleaned_at then state = 2 else state = 0 end
    -- A tombstone keeps the sequence too: a batch applied just before its exporter was cleaned, sent again
    -- because its reply was lost, must not add its counts a second time.
    if tonumber(rec.seq) and tonumber(rec.seq) >= seq then return {0, state, 0, -1, 0} end
  end
end
redis.call('HSET', exporters, id, cjson.encode({seen = now, dead_after = deadAfter, seq = seq, host = host, pid = pid}))
if state ~= 2 then redis.call('ZADD', deadlines, now + deadAfter, id) end
if string.sub(health, -1) == '}' then
  redis.call('HSET', processes, id, string.sub(health, 1, -2) .. ',"seen":' .. string.format('%d', now) .. '}')
end

local cleaner = 0
if leaseMillis > 0 then
  local holder = redis.call('GET', lease)
  if holder == id then
    redis.call('PEXPIRE', lease, leaseMillis)
    cleaner = 1
  elseif not holder then
    redis.call('SET', lease, id, 'PX', leaseMillis)
    cleaner = 1
  end
end

-- A heartbeat alone, the most common batch of an idle fleet, is done here, without asking for subscribers:
-- the exporter keeps the count its last batch with tasks learned.
if activeBlob == '' and endsBlob == '' and countersBlob == '' then return {1, state, 0, -1, cleaner} end

local function listening(mode, name)
  if mode == 'auto' then return tonumber(redis.call('PUBSUB', 'NUMSUB', name)[2]) end
  if mode == '1' then return 1 end
  return 0
end
local subscribers = -1
if publishMode == 'auto' then subscribers = listening('auto', channel) end
local publish = (publishMode == '1') or (subscribers > 0)

-- One large argument costs the writer far less event-loop time than thousands of small ones, and task
-- JSON never holds a raw newline.
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

local active = lines(activeBlob)
local fields, members, starts, written = {}, {}, {}, {}
local function writeActive()
  redis.call('HSET', processors, unpack(fields))
  redis.call('SADD', owned, unpack(members))
  redis.call('ZADD', byStart, unpack(starts))
  fields, members, starts = {}, {}, {}
end
for k = 1, #active - 2, 3 do
  local tid, json = active[k], active[k + 2]
  fields[#fields + 1] = tid
  fields[#fields + 1] = json
  members[#members + 1] = tid
  starts[#starts + 1] = active[k + 1]
  starts[#starts + 1] = tid
  written[#written + 1] = json
  if #fields >= 1000 then writeActive() end
end
if #fields > 0 then writeActive() end

local ends = lines(endsBlob)
local superseded = 0
local pushes, pushed, removed = {}, {}, {}
for k = 1, #ends - 1, 2 do
  local tid, json = ends[k], ends[k + 1]
  local keep = true
  if tid ~= '' then
    local gone = redis.call('SREM', owned, tid)
    redis.call('HDEL', processors, tid)
    redis.call('ZREM', byStart, tid)
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
if #ends > 0 then redis.call('LTRIM', past, 0, maxCompleted - 1) end

-- Counters: '#second' starts a second's section (its two hashes are the next pair of keys), then
-- field and increment lines.
local counters = lines(countersBlob)
local section, perSecond, perTen, second = 0, nil, nil, 0
local function expireSection()
  if perSecond then
    redis.call('EXPIREAT', perSecond, second + secondTtl)
    redis.call('EXPIREAT', perTen, second - second % 10 + 10 + tenSecondTtl)
  end
end
local k = 1
while k <= #counters do
  local line = counters[k]
  if string.sub(line, 1, 1) == '#' then
    expireSection()
    second = tonumber(string.sub(line, 2))
    perSecond, perTen = KEYS[FIRST_COUNTS_KEY + 2 * section], KEYS[FIRST_COUNTS_KEY + 2 * section + 1]
    section = section + 1
    k = k + 1
  else
    local by = tonumber(counters[k + 1])
    redis.call('HINCRBY', perSecond, line, by)
    redis.call('HINCRBY', perTen, line, by)
    k = k + 2
  end
end
expireSection()

if publish then
  for k = 1, #written do redis.call('PUBLISH', channel, written[k]) end
  for k = 1, #pushed do redis.call('PUBLISH', channel, pushed[k]) end
end
if (#written > 0 or #ends > 0) and listening(publishBatch, updates) > 0 then
  for k = 1, #removed do removed[k] = cjson.encode(removed[k]) end
  redis.call('PUBLISH', updates, '{"exporter":' .. cjson.encode(id) .. ',"active":[' .. table.concat(written, ',') ..
    '],"completed":[' .. table.concat(pushed, ',') .. '],"removed":[' .. table.concat(removed, ',') .. ']}')
end
return {1, state, superseded, subscribers, cleaner}
`);

/**
 * Moves the active tasks of one dead exporter to past_tasks, atomically, so
 * two cleaners never move a task twice.
 *
 * KEYS: processors, past_tasks, exporters, the exporter's owned-task set,
 * processes, deadlines, active by start. ARGV: task_updates channel,
 * exporter id, the `seen` the cleaner read (the record must be unchanged),
 * ended_at to write (the time it was last seen), max completed, publish on
 * task_updates ('0' | '1'), the updates channel, publish on it ('0' | '1' |
 * 'auto'): one message with every task moved, as a batch's.
 *
 * Dead means: by Redis's clock, more than the exporter's own dead_after
 * since it was last seen. Each task gets ended_at (never before its own
 * started_at), updated_at, and recorded_successfully false: the wire meaning
 * of "cleaned up by a monitor". The record becomes a tombstone so the
 * exporter, should it come back, does not push those tasks again; its
 * deadline moves an hour on, when the tombstone and the process's health
 * record are removed. Only tasks in the owned set are touched: writers
 * without a heartbeat (the Python Top Framework) never are.
 *
 * Returns the number of tasks moved, or -1 when the exporter is not dead.
 */
export const CLEAN_EXPORTER_SCRIPT = new LuaScript(`
if redis.replicate_commands then redis.replicate_commands() end
local processors, past, exporters, owned = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local processes, deadlines, byStart = KEYS[5], KEYS[6], KEYS[7]
local channel, id, seen, endedAt = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local maxCompleted, publishTasks, updates, publishBatch = tonumber(ARGV[5]), ARGV[6], ARGV[7], ARGV[8]
local TOMBSTONE_MILLIS = 3600000
local raw = redis.call('HGET', exporters, id)
if not raw then
  redis.call('ZREM', deadlines, id)
  return -1
end
local ok, rec = pcall(cjson.decode, raw)
if not ok or type(rec) ~= 'table' or not tonumber(rec.seen) then
  -- Not a record of ours to judge: it stays, only its deadline goes.
  redis.call('ZREM', deadlines, id)
  return -1
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if rec.cleaned_at then
  if now - tonumber(rec.cleaned_at) > TOMBSTONE_MILLIS then
    redis.call('HDEL', exporters, id)
    redis.call('HDEL', processes, id)
    redis.call('ZREM', deadlines, id)
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
    -- Open spans are of active requests only. Writers put them last, and a key cannot appear unescaped
    -- inside a JSON string, so the first match is the key: cut from there to the closing brace.
    local cut = string.find(json, ',"open_spans":', 1, true)
    if cut then json = string.sub(json, 1, cut - 1) .. '}' end
    redis.call('LPUSH', past, json)
    redis.call('HDEL', processors, tid)
    redis.call('ZREM', byStart, tid)
    if publishTasks == '1' then redis.call('PUBLISH', channel, json) end
    moved = moved + 1
    completed[moved] = json
  end
end
redis.call('DEL', owned)
if moved > 0 then
  redis.call('LTRIM', past, 0, maxCompleted - 1)
  if publishBatch == '1' or (publishBatch == 'auto' and tonumber(redis.call('PUBSUB', 'NUMSUB', updates)[2]) > 0) then
    redis.call('PUBLISH', updates, '{"exporter":' .. cjson.encode(id) .. ',"active":[],"completed":[' .. table.concat(completed, ',') .. '],"removed":[]}')
  end
end
redis.call('HSET', exporters, id, cjson.encode({cleaned_at = now, seen = tonumber(rec.seen), seq = tonumber(rec.seq), host = rec.host, pid = rec.pid}))
redis.call('ZADD', deadlines, now + TOMBSTONE_MILLIS, id)
return moved
`);

/**
 * Removes an exporter's records and owned set at a clean shutdown, after its
 * in-flight tasks were ended, and gives up the cleaner's lease if it holds
 * it. KEYS: exporters, owned set, processes, deadlines, lease. ARGV:
 * exporter id.
 */
export const UNREGISTER_SCRIPT = new LuaScript(`
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('DEL', KEYS[2])
redis.call('HDEL', KEYS[3], ARGV[1])
redis.call('ZREM', KEYS[4], ARGV[1])
if redis.call('GET', KEYS[5]) == ARGV[1] then redis.call('DEL', KEYS[5]) end
return 1
`);

/**
 * Takes the cleaner's lease, or renews it if it is this one's, for a reader
 * (exporters take it in their batches). KEYS: lease. ARGV: id, lease ms.
 * Returns 1 when this one is the cleaner now.
 */
export const CLAIM_CLEANER_SCRIPT = new LuaScript(`
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
  return 1
end
if not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', tonumber(ARGV[2]))
  return 1
end
return 0
`);
