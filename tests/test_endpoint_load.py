"""``policykg serve``: loopback only by default, read-only always, bounded queries, and a load test
from this (second) process: 4 client threads, at most 2,000 requests or 30 s, loopback only.
Test names hold "serve" so the quick suite (-k "not serve") leaves them out."""
from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from tests.conftest import require_tool
from tests.nasty.make_nasty import make_articles
from tests.nasty.snapshot import FrozenCli

N_ARTICLES = 120
MAX_REQUESTS, MAX_SECONDS, CLIENTS = 2000, 30.0, 4
SERVE_TIMEOUT = 5             # seconds; policykg serve --timeout
QUERIES = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "PREFIX pkg: <https://w3id.org/policykg/ontology#> SELECT ?c ?q WHERE { ?c a pkg:Claim ; pkg:quote ?q } LIMIT 20",
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> SELECT ?e ?l WHERE { ?e rdfs:label ?l } ORDER BY ?l LIMIT 50",
    "PREFIX dct: <http://purl.org/dc/terms/> SELECT ?d ?t WHERE { ?d dct:title ?t } LIMIT 100",
    "ASK { ?s ?p ?o }",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    require_tool("oxigraph")
    root = tmp_path_factory.mktemp("serve")
    pk = FrozenCli(root / "code")
    make_articles(root / "corpus", N_ARTICLES)
    store = root / "store"
    assert pk.run("--store", str(store), "build", str(root / "corpus")).returncode == 0
    port = _free_port()
    proc = pk.popen("--store", str(store), "serve", "--port", str(port), "--timeout", str(SERVE_TIMEOUT),
                    start_new_session=True,
                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/query"
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(url + "?" + urllib.parse.urlencode({"query": "ASK {}"}), timeout=2):
                break
        except OSError:
            assert proc.poll() is None, proc.stderr.read().decode()[-2000:]
            assert time.monotonic() < deadline, "policykg serve did not answer within 90 s"
            time.sleep(0.2)
    yield {"port": port, "url": url, "base": f"http://127.0.0.1:{port}", "store": store}
    os.killpg(proc.pid, signal.SIGINT)      # our own session: policykg serve and its oxigraph child
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def _select(url: str, query: str, timeout: float = 60) -> tuple[int, bytes]:
    req = urllib.request.Request(url, data=urllib.parse.urlencode({"query": query}).encode(),
                                 headers={"Accept": "application/sparql-results+json",
                                          "Content-Type": "application/x-www-form-urlencoded"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _listening_addresses(port: int) -> set[str]:
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = open(table).read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            addr, p = local.rsplit(":", 1)
            if state == "0A" and int(p, 16) == port:          # 0A = LISTEN
                found.add(addr)
    return found


def test_serve_listens_on_loopback_only(server):
    addrs = _listening_addresses(server["port"])
    loopback = {"0100007F", "00000000000000000000000001000000"}   # 127.0.0.1, ::1 (as /proc prints them)
    assert addrs and addrs <= loopback, f"listening on {addrs}"


def test_serve_refuses_every_kind_of_update(server):
    base, probe = server["base"], "ASK { <http://evil.example/s> ?p ?o }"
    attempts = [
        ("POST", "/update", "INSERT DATA { <http://evil.example/s> <http://evil.example/p> 1 }",
         "application/sparql-update"),
        ("POST", "/query", "INSERT DATA { <http://evil.example/s> <http://evil.example/p> 2 }",
         "application/sparql-update"),
        ("POST", "/update", "update=" + urllib.parse.quote("DROP ALL"), "application/x-www-form-urlencoded"),
        ("PUT", "/store?default", "<http://evil.example/s> <http://evil.example/p> 3 .", "text/turtle"),
        ("POST", "/store?default", "<http://evil.example/s> <http://evil.example/p> 4 .", "text/turtle"),
        ("DELETE", "/store?default", "", "text/turtle"),
    ]
    for method, path, body, ctype in attempts:
        req = urllib.request.Request(base + path, data=body.encode() if body else None, method=method,
                                     headers={"Content-Type": ctype})
        try:
            with urllib.request.urlopen(req, timeout=30) as resp:
                status = resp.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        assert status >= 400, f"{method} {path} was accepted ({status})"
    status, body = _select(server["url"], probe)
    assert status == 200 and json.loads(body)["boolean"] is False
    status, body = _select(server["url"], "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) > 10_000   # DROP ALL did nothing


def test_serve_load_from_a_second_process(server):
    """4 threads with persistent loopback connections; stops at 2,000 requests or 30 s."""
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    counter = iter(range(MAX_REQUESTS))
    t_end = time.monotonic() + MAX_SECONDS

    def client(k: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", server["port"], timeout=30)
        while time.monotonic() < t_end:
            with lock:
                i = next(counter, None)
            if i is None:
                break
            body = urllib.parse.urlencode({"query": QUERIES[i % len(QUERIES)]})
            t0 = time.perf_counter()
            try:
                conn.request("POST", "/query", body=body, headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Accept": "application/sparql-results+json"})
                resp = conn.getresponse()
                data = resp.read()
                ok = resp.status == 200 and data
            except (OSError, http.client.HTTPException) as exc:
                ok, data = False, repr(exc).encode()
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", server["port"], timeout=30)
            dt = time.perf_counter() - t0
            with lock:
                latencies.append(dt)
                if not ok:
                    failures.append(data[:200].decode("utf-8", "replace"))
        conn.close()

    t0 = time.perf_counter()
    threads = [threading.Thread(target=client, args=(k,)) for k in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=MAX_SECONDS + 60)
    wall = time.perf_counter() - t0
    lat = sorted(latencies)
    p50, p99 = lat[len(lat) // 2], lat[min(len(lat) - 1, int(len(lat) * 0.99))]
    print(f"\nserve load: {len(lat)} requests in {wall:.1f} s = {len(lat) / wall:.0f} req/s; "
          f"p50 {p50 * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms, max {lat[-1] * 1000:.1f} ms; failures {len(failures)}")
    assert not failures, failures[:3]
    assert len(lat) >= 100


def test_serve_bounds_big_results_by_time_not_rows(server):
    """The Oxigraph server has no row cap (and we add no HTTP layer of our own): a big result is
    answered whole when it comes within the timeout. The CLI's `query`/`sparql` cap rows."""
    status, body = _select(server["url"], "SELECT * WHERE { ?s ?p ?o }")
    assert status == 200
    assert len(json.loads(body)["results"]["bindings"]) > 10_000


def test_serve_stops_runaway_queries(server):
    """The server cancels a query at --timeout (oxigraph serve-read-only --timeout-s) instead of
    keeping a thread busy. Oxigraph has already sent "200" when it starts streaming, so the sign of
    the cancel is a cut-off body, not the status. (A three-way cross join is not interrupted while
    Oxigraph builds its join table: see docs/hardening.md.)"""
    t0 = time.perf_counter()
    try:
        status, body = _select(server["url"], "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }",
                               timeout=90)
    except OSError as exc:          # the client gave up: the server never stopped the query
        pytest.fail(f"no answer within 90 s ({exc}): no query timeout")
    elapsed = time.perf_counter() - t0
    print(f"runaway query answered with {status} after {elapsed:.1f} s")
    assert elapsed < SERVE_TIMEOUT + 30
    try:
        complete = json.loads(body)["results"]["bindings"][0]["n"]["value"]
    except (ValueError, KeyError, IndexError):
        complete = None
    assert status >= 400 or complete is None, f"the query ran to the end: {complete} rows counted"
