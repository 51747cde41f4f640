#!/usr/bin/python3
"""Events per second and response times of `errordeck-cli serve` (issue 15).

    bench_receiver.py CLI [--clients 8] [--events 4000] [--rate N] [--db PATH]

Starts `CLI serve --listen 127.0.0.1:0` on a fresh database (scrubbing,
filters and grouping on, as always), then CLIENTS threads each post their
share of EVENTS over keep-alive connections to /api/1/store/: the
sentry-sdk 1.9.10 capture tests/data/sentry/python-1.9.10-store-event.json,
gzip-compressed as the SDK sends it, each with its own event_id; as fast as
answers come, or with --rate at N events/s in all (each client on its own
schedule: the response times below saturation). The bodies
are made before the clock starts: an SDK's JSON and gzip are its own
machine's work, not the server's, and here they would share the server's
cores. Prints the sustained rate (posted until the last one is stored, read
from serve's output) and the response times' p50 and p99, and serve's CPU time per event (from /proc: it changes least when
other work shares the machine). Standard library
only.
"""
import argparse
import gzip
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
EVENT = os.path.join(HERE, "..", "tests", "data", "sentry", "python-1.9.10-store-event.json")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cli")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--events", type=int, default=4000)
    ap.add_argument("--rate", type=float, default=0)
    ap.add_argument("--db")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp()
    db = a.db or os.path.join(tmp, "bench.sqlite3")
    serve = subprocess.Popen([a.cli, "serve", "--db", db, "--listen", "127.0.0.1:0"],
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    dsn = serve.stdout.readline().split()[1]
    key, hostport = dsn[len("http://"):].split("@")
    port = int(hostport.split(":")[1].split("/")[0])
    event = json.load(open(EVENT))
    per = a.events // a.clients
    bodies = []
    for _ in range(per * a.clients):
        event["event_id"] = uuid.uuid4().hex
        bodies.append(gzip.compress(json.dumps(event).encode()))
    times, statuses = [], {}
    lock = threading.Lock()
    stored = [0]

    def count_stored():
        for line in serve.stdout:
            if "stored report" in line:
                stored[0] += 1

    threading.Thread(target=count_stored, daemon=True).start()

    def client(first):
        conn = http.client.HTTPConnection("127.0.0.1", port)
        mine = []
        for k, body in enumerate(bodies[first:first + per]):
            if a.rate > 0:  # this client's k-th send, clients spread over each interval
                due = start + (k * a.clients + first // per) / a.rate
                wait = due - time.perf_counter()
                if wait > 0:
                    time.sleep(wait)
            t = time.perf_counter()
            conn.request("POST", "/api/1/store/", body, {
                "Content-Encoding": "gzip", "Content-Type": "application/json",
                "X-Sentry-Auth": "Sentry sentry_key=%s, sentry_version=7" % key})
            r = conn.getresponse()
            r.read()
            mine.append(time.perf_counter() - t)
            with lock:
                statuses[r.status] = statuses.get(r.status, 0) + 1
        with lock:
            times.extend(mine)

    start = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i * per,)) for i in range(a.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    posted = time.perf_counter() - start
    want = statuses.get(200, 0)
    while stored[0] < want and time.perf_counter() - start < 600:
        time.sleep(0.01)
    done = time.perf_counter() - start
    # serve's CPU time (all its threads) per event: what a loaded machine changes least.
    with open("/proc/%d/stat" % serve.pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    serve.terminate()
    serve.wait()
    times.sort()
    q = lambda p: times[min(len(times) - 1, int(p * len(times)))] * 1000
    print("%d events from %d clients (%d bytes each before gzip): statuses %s" % (
        len(times), a.clients, len(json.dumps(event)), statuses))
    print("posted in %.2f s, stored in %.2f s: %.0f events/s sustained" % (posted, done, stored[0] / done))
    print("response time p50 %.2f ms, p99 %.2f ms, max %.2f ms" % (q(0.50), q(0.99), times[-1] * 1000))
    print("serve's CPU time %.2f s: %.0f us per event" % (cpu, cpu / max(1, len(times)) * 1e6))


if __name__ == "__main__":
    sys.exit(main())
