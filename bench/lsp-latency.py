#!/usr/bin/env python3
"""Latency of `policyc lsp` on the Tongzhou sample, as an editor sees it (LSP base protocol over stdio).

    bench/lsp-latency.py POLICYC_COMMAND... [--rounds N]      (bench/lsp-latency.sh builds and runs it)

Opens the sample policy and its rules file, then, N times each, measures wall time from
  - a didChange (an incremental edit: a typo in a `requires` keyword, then its fix, alternately) to the
    publishDiagnostics for that document (the diagnostic appears / the empty list), and
  - a hover request over a rule name to its response,
after a few warm-up rounds (the first requests JIT the checker). Prints median, 90th percentile and max in ms.
"""
import json, os, statistics, subprocess, sys, time

args = sys.argv[1:]
rounds = 30
if "--rounds" in args:
    i = args.index("--rounds"); rounds = int(args[i + 1]); del args[i:i + 2]
if not args:
    sys.exit(__doc__)

repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
policy_path = os.path.join(repo, "samples/tongzhou-2026/tongzhou-2026.policy")
rules_path = os.path.join(repo, "samples/tongzhou-2026/tongzhou-2026.rules")
policy = open(policy_path, encoding="utf-8").read()
rules = open(rules_path, encoding="utf-8").read()
uri = "file://" + policy_path
rules_uri = "file://" + rules_path

server = subprocess.Popen(args + ["lsp"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
next_id = 0


def send(message):
    body = json.dumps(dict(message, jsonrpc="2.0"), ensure_ascii=False).encode("utf-8")
    server.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
    server.stdin.flush()


def receive():
    length = None
    while True:
        line = server.stdout.readline()
        if not line:
            sys.exit("the server closed its output")
        line = line.strip()
        if not line:
            break
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return json.loads(server.stdout.read(length))


def request(method, params):
    global next_id
    next_id += 1
    send({"id": next_id, "method": method, "params": params})
    while True:
        m = receive()
        if m.get("id") == next_id and "method" not in m:
            if "error" in m:
                sys.exit(f"{method}: {m['error']}")
            return m.get("result")


def diagnostics_for(target):
    while True:
        m = receive()
        if m.get("method") == "textDocument/publishDiagnostics" and m["params"]["uri"] == target:
            return m["params"]["diagnostics"]


def position(text, what, within=0):
    offset = text.index(what) + within
    before = text[:offset]
    line = before.count("\n")
    return {"line": line, "character": offset - (before.rfind("\n") + 1)}  # UTF-16 = code points here (BMP text)


request("initialize", {"processId": os.getpid(), "rootUri": "file://" + repo, "capabilities": {}})
send({"method": "initialized", "params": {}})
send({"method": "textDocument/didOpen", "params": {"textDocument": {"uri": rules_uri, "languageId": "policy", "version": 1, "text": rules}}})
send({"method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "policy", "version": 1, "text": policy}}})
diagnostics_for(uri)

typo_at = position(policy, "      requires ", 6)
typo_range = {"start": typo_at, "end": {"line": typo_at["line"], "character": typo_at["character"] + len("requires")}}
hover_at = position(policy, "rule cmmm_maturity", 6)
version = 1
change_ms, hover_ms = [], []
warmup = 5
for i in range(warmup + rounds):
    version += 1
    broken = version % 2 == 0
    started = time.perf_counter()
    send({"method": "textDocument/didChange", "params": {"textDocument": {"uri": uri, "version": version},
          "contentChanges": [{"range": typo_range, "text": "requries" if broken else "requires"}]}})
    found = diagnostics_for(uri)
    elapsed = (time.perf_counter() - started) * 1000
    if broken != any(d.get("severity") == 1 for d in found):
        sys.exit(f"round {i}: expected {'an error' if broken else 'no error'}, got {found}")
    started = time.perf_counter()
    hover = request("textDocument/hover", {"textDocument": {"uri": uri}, "position": hover_at})
    hovered = (time.perf_counter() - started) * 1000
    if not hover or "proven maximum" not in json.dumps(hover, ensure_ascii=False):
        sys.exit(f"round {i}: hover without the proven maximum: {hover}")
    if i >= warmup:
        change_ms.append(elapsed); hover_ms.append(hovered)

request("shutdown", None)
send({"method": "exit", "params": None})
server.wait(timeout=30)


def summary(name, values):
    values = sorted(values)
    p90 = values[min(len(values) - 1, int(round(0.9 * (len(values) - 1))))]
    return f"| {name} | {len(values)} | {statistics.median(values):.1f} | {p90:.1f} | {values[-1]:.1f} |"


print(f"policyc lsp on samples/tongzhou-2026 ({len(policy.splitlines())} + {len(rules.splitlines())} lines), {warmup} warm-up rounds")
print("| request | n | median ms | p90 ms | max ms |")
print("|---|---|---|---|---|")
print(summary("didChange → publishDiagnostics", change_ms))
print(summary("hover over a rule", hover_ms))
