#!/usr/bin/env python3
"""Open-loop load at a fixed rate over keep-alive HTTPS connections; prints latency percentiles.

Usage: fixed_rate.py PORT RATE SECONDS CONNECTIONS CA_FILE [PATH]

Each connection sends RATE/CONNECTIONS requests per second on a fixed schedule. A request's latency runs from the
moment it was *scheduled*, not sent, so a server that stalls is charged for the requests queued behind the stall
(no coordinated omission, as wrk2 and HdrHistogram measure it). Prints one line:
  sent=N errors=N p50_us=N p90_us=N p99_us=N p999_us=N max_us=N
Loopback only; standard library only.
"""
import asyncio
import ssl
import sys
import time


async def connection(port, interval, deadline, context, path, latencies, errors, start):
    reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=context, server_hostname="localhost")
    request = f"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode()
    scheduled = start
    try:
        while scheduled < deadline:
            now = time.perf_counter()
            if scheduled > now:
                await asyncio.sleep(scheduled - now)
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            if length:
                await reader.readexactly(length)
            if not head.startswith(b"HTTP/1.1 200"):
                errors.append(head.split(b"\r\n", 1)[0])
            latencies.append(time.perf_counter() - scheduled)
            scheduled += interval
    finally:
        writer.close()


async def main():
    port, rate, seconds, count, ca = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
    path = sys.argv[6] if len(sys.argv) > 6 else "/small"
    context = ssl.create_default_context(cafile=ca)
    latencies, errors = [], []
    start = time.perf_counter() + 0.5
    interval = count / rate
    tasks = [connection(port, interval, start + seconds, context, path, latencies, errors, start + i * interval / count)
             for i in range(count)]
    await asyncio.gather(*tasks)
    latencies.sort()

    def pct(p):
        return int(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1e6) if latencies else 0

    print(f"sent={len(latencies)} errors={len(errors)} p50_us={pct(0.5)} p90_us={pct(0.9)} p99_us={pct(0.99)} "
          f"p999_us={pct(0.999)} max_us={int(latencies[-1] * 1e6) if latencies else 0}")


asyncio.run(main())
