#!/usr/bin/env python3
"""Opens N TLS connections to 127.0.0.1:PORT, completes each handshake, and holds them until stdin closes.

Prints "held N" once all are open. Used by compare.sh to measure a proxy's resident memory per idle TLS connection.
Only ever connects to the loopback address; gives up after a deadline.
"""
import socket
import ssl
import sys
import time

port, count, cafile = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
context = ssl.create_default_context(cafile=cafile)
context.check_hostname = False
held = []
deadline = time.monotonic() + 300
while len(held) < count and time.monotonic() < deadline:
    raw = socket.create_connection(("127.0.0.1", port), timeout=10)
    held.append(context.wrap_socket(raw, server_hostname="localhost"))
print(f"held {len(held)}", flush=True)
sys.stdin.read()
for connection in held:
    connection.close()
