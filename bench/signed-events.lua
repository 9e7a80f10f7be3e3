-- wrk script: every request is a real-shaped Stripe event with a unique id, signed like Stripe
-- signs (t=<unix>,v1=HMAC-SHA256("<t>.<body>")), the HMAC computed by OpenSSL's libcrypto through
-- LuaJIT's FFI so that signing costs wrk almost nothing.
--
-- Environment: BENCH_SECRET, BENCH_RUN (unique per run), BENCH_TEMPLATE (a file whose content is
-- the event body with the text __EVENT_ID__ where the id goes), BENCH_PATH (default /webhooks/stripe),
-- BENCH_RATE (optional: requests per second for this thread's connections together, for a paced
-- run; each request takes the next slot of a fixed schedule, so the rate holds whatever the
-- latency, as long as enough connections are open).
local ffi = require("ffi")
ffi.cdef [[
typedef struct evp_md_st EVP_MD;
const EVP_MD *EVP_sha256(void);
unsigned char *HMAC(const EVP_MD *evp_md, const void *key, int key_len, const unsigned char *d, size_t n, unsigned char *md, unsigned int *md_len);
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock_id, bench_timespec *tp);
]]
local crypto = ffi.load("crypto")

local threads = {}
local next_thread = 1

function setup(thread)
    thread:set("tid", next_thread)
    next_thread = next_thread + 1
    table.insert(threads, thread)
end

local secret, run, pieces, path, interval_ms, next_slot_ms
-- Globals, not locals: done() reads them from each thread with thread:get.
counter, ok, rejected = 0, 0, 0
local mac = ffi.new("unsigned char[32]")
local mac_len = ffi.new("unsigned int[1]")
local hex = {}
for i = 0, 255 do hex[i] = string.format("%02x", i) end

function init(args)
    secret = os.getenv("BENCH_SECRET")
    run = os.getenv("BENCH_RUN")
    path = os.getenv("BENCH_PATH") or "/webhooks/stripe"
    local rate = tonumber(os.getenv("BENCH_RATE") or "0")
    if rate > 0 then interval_ms = 1000 / rate end
    local file = assert(io.open(os.getenv("BENCH_TEMPLATE"), "rb"))
    local template = file:read("*a")
    file:close()
    -- Every occurrence is replaced (the event id, and the order id built from it).
    pieces = {}
    local from = 1
    while true do
        local at = template:find("__EVENT_ID__", from, true)
        if not at then break end
        table.insert(pieces, template:sub(from, at - 1))
        from = at + #"__EVENT_ID__"
    end
    assert(#pieces > 0, "template has no __EVENT_ID__")
    table.insert(pieces, template:sub(from))
end

function request()
    counter = counter + 1
    local id = "evt_bench_" .. run .. "_" .. tid .. "_" .. counter
    local body = table.concat(pieces, id)
    local t = tostring(os.time())
    local signed = t .. "." .. body
    crypto.HMAC(crypto.EVP_sha256(), secret, #secret, signed, #signed, mac, mac_len)
    local parts = {}
    for i = 0, 31 do parts[i + 1] = hex[mac[i]] end
    return wrk.format("POST", path, {
        ["Content-Type"] = "application/json",
        ["Stripe-Signature"] = "t=" .. t .. ",v1=" .. table.concat(parts),
    }, body)
end

-- Defined only for a paced run: wrk waits this long before a connection's next request. The wait
-- is to the next free slot of the thread's schedule (one slot every 1000/BENCH_RATE ms), so a
-- slow answer does not lower the rate; a thread behind its schedule sends at once (a backlog of
-- at most one second is kept, so a stall is not followed by an unbounded burst).
local now_spec = ffi.new("bench_timespec")
local function now_ms()
    ffi.C.clock_gettime(1, now_spec) -- CLOCK_MONOTONIC
    return tonumber(now_spec.tv_sec) * 1000 + tonumber(now_spec.tv_nsec) / 1e6
end

if tonumber(os.getenv("BENCH_RATE") or "0") > 0 then
    function delay()
        local now = now_ms()
        if next_slot_ms == nil or next_slot_ms < now - 1000 then next_slot_ms = now end
        local wait = next_slot_ms - now
        next_slot_ms = next_slot_ms + interval_ms
        if wait < 0 then return 0 end
        return wait
    end
end

function response(status, headers, body)
    if status == 200 then ok = ok + 1 else rejected = rejected + 1 end
end

function done(summary, latency, requests)
    local total_ok, total_rejected = 0, 0
    for _, thread in ipairs(threads) do
        total_ok = total_ok + thread:get("ok")
        total_rejected = total_rejected + thread:get("rejected")
    end
    local seconds = summary.duration / 1e6
    io.write(string.format(
        "BENCH_RESULT requests=%d ok=%d rejected=%d socket_errors=%d seconds=%.3f rps=%.1f p50_us=%d p99_us=%d p999_us=%d max_us=%d\n",
        summary.requests, total_ok, total_rejected,
        summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
        seconds, summary.requests / seconds,
        latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max))
end
