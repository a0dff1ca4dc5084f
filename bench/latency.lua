-- wrk script: prints one machine-readable line with latency percentiles (µs).
local cookie = os.getenv("BENCH_COOKIE")
if cookie and cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT p50=%d p95=%d p99=%d requests=%d errors=%d non2xx=%d seconds=%.3f\n",
    latency:percentile(50), latency:percentile(95), latency:percentile(99),
    summary.requests, e.connect + e.read + e.write + e.timeout, e.status,
    summary.duration / 1e6))
end
