-- wrk script: optional cookie, optional list of paths (one per line in $WRK_PATHS), and
-- the latency percentiles printed as one JSON line at the end.
local paths = {}
local cookie = os.getenv("WRK_COOKIE")
local file = os.getenv("WRK_PATHS")
if file then
  for line in io.lines(file) do
    if #line > 0 then paths[#paths + 1] = line end
  end
end
local counter = 0

request = function()
  local headers = {}
  if cookie and #cookie > 0 then headers["Cookie"] = cookie end
  local path = wrk.path
  if #paths > 0 then
    counter = counter + 1
    path = paths[(counter % #paths) + 1]
  end
  return wrk.format("GET", path, headers)
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    'JSON {"requests": %d, "duration_us": %d, "bytes": %d, "errors": %d, "non_2xx": %d, '
      .. '"p50_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f, "mean_ms": %.3f}\n',
    summary.requests, summary.duration, summary.bytes, errors, summary.errors.status,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.mean / 1000))
end
