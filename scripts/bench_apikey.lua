-- wrk script: API-key requests, each with its own pre-signed nonce.
--
--   wrk -t T -c C -d 10s --latency -s scripts/bench_apikey.lua URL -- LINES_FILE KID_FILE T
--
-- LINES_FILE holds lines "nonce signature" (examples/bench_fixture.rs writes
-- apikey_lines.txt), KID_FILE the key id (kid.txt), T the number of wrk threads (-t).
-- Thread k (0-based) uses the contiguous slice k*n/T .. (k+1)*n/T - 1, so no nonce is
-- sent twice within one wrk run. Barong accepts each nonce once: a new wrk run must use
-- a new file (or a new barong instance). A thread that runs out of lines starts its
-- slice again; those replays are denied (counted by wrk as non-2xx) and reported at
-- the end as "replayed".

local threads = {}
local counter = 0

function setup(thread)
   thread:set("id", counter)
   counter = counter + 1
   table.insert(threads, thread)
end

local function read_first_line(path)
   local f = assert(io.open(path, "r"), "cannot open " .. tostring(path))
   local line = f:read("*l")
   f:close()
   return (line or ""):match("^%s*(.-)%s*$")
end

local nonces, signatures, count, index

function init(args)
   local lines_file, kid_file, nthreads = args[1], args[2], tonumber(args[3] or "")
   if not lines_file or not kid_file or not nthreads or nthreads < 1 then
      error("usage: -s bench_apikey.lua URL -- LINES_FILE KID_FILE THREADS")
   end
   local kid = read_first_line(kid_file)
   -- count the lines, then keep this thread's slice only
   local total = 0
   for _ in io.lines(lines_file) do total = total + 1 end
   local first = math.floor(id * total / nthreads) + 1
   local last = math.floor((id + 1) * total / nthreads)
   nonces, signatures, count = {}, {}, 0
   local n = 0
   for line in io.lines(lines_file) do
      n = n + 1
      if n > last then break end
      if n >= first then
         local nonce, signature = line:match("^(%S+)%s+(%S+)")
         if nonce then
            count = count + 1
            nonces[count] = nonce
            signatures[count] = signature
         end
      end
   end
   if count == 0 then
      error("thread " .. id .. ": no lines in its slice of " .. lines_file)
   end
   index = 0
   used = 0      -- globals: read by done() through thread:get
   replayed = 0
   slice = count
   wrk.headers["X-Auth-Apikey"] = kid
end

function request()
   index = index + 1
   if index > count then
      index = 1
   end
   used = used + 1
   if used > count then
      replayed = replayed + 1
   end
   wrk.headers["X-Auth-Nonce"] = nonces[index]
   wrk.headers["X-Auth-Signature"] = signatures[index]
   return wrk.format()
end

function done(summary, latency, requests)
   local slices, used_total, replayed_total = 0, 0, 0
   for _, thread in ipairs(threads) do
      slices = slices + (thread:get("slice") or 0)
      used_total = used_total + (thread:get("used") or 0)
      replayed_total = replayed_total + (thread:get("replayed") or 0)
   end
   io.write(string.format("apikey lines: %d in slices, %d requests built, replayed %d\n",
      slices, used_total, replayed_total))
end
