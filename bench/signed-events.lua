-- wrk script: every request is a real-shaped Stripe event with a unique id, signed like Stripe
-- signs (t=<unix>,v1=HMAC-SHA256("<t>.<body>")), the HMAC computed by OpenSSL's libcrypto through
-- LuaJIT's FFI so that signing costs wrk almost nothing.
--
-- Environment: BENCH_SECRET, BENCH_RUN (unique per run), BENCH_TEMPLATE (a file whose content is
-- the event body with the text __EVENT_ID__ where the id goes), BENCH_PATH (default /webhooks/stripe),
-- BENCH_DELAY_MS (optional: pause per connection between requests, for a paced run).
local ffi = require("ffi")
ffi.cdef [[
typedef struct evp_md_st EVP_MD;
const EVP_MD *EVP_sha256(void);
unsigned char *HMAC(const EVP_MD *evp_md, const void *key, int key_len, const unsigned char *d, size_t n, unsigned char *md, unsigned int *md_len);
]]
local crypto = ffi.load("crypto")

local threads = {}
local next_thread = 1

function setup(thread)
    thread:set("tid", next_thread)
    next_thread = next_thread + 1
    table.insert(threads, thread)
end

local secret, run, pieces, path, delay_ms
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
    delay_ms = tonumber(os.getenv("BENCH_DELAY_MS") or "0")
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

-- Defined only for a paced run: wrk then waits this long on each connection between requests.
if tonumber(os.getenv("BENCH_DELAY_MS") or "0") > 0 then
    function delay()
        return delay_ms
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
