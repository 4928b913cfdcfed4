#!/usr/bin/env python3
"""Aggregate `jfr print --events jdk.ExecutionSample` text: inclusive share per category and per package,
self (top frame) share per method. Usage: jfr print --events jdk.ExecutionSample X.jfr | jfrcpu.py [FROM TO]
(FROM/TO: HH:MM:SS wall-clock bounds of startTime, optional)."""
import re, sys, collections

CATS = [  # (label, regex on a frame "pkg.Class.method(")
    ("jq evaluation (net.thisptr.jackson.jq + camel-jq)", r"^(net\.thisptr\.jackson\.jq|org\.apache\.camel\.language\.jq)\."),
    ("  of which camel-jq JqExpression.evaluate", r"^org\.apache\.camel\.language\.jq\.JqExpression\.evaluate"),
    ("marshal json (MarshalProcessor/JacksonDataFormat)", r"^org\.apache\.camel\.(support\.processor\.MarshalProcessor|component\.jackson\.)"),
    ("type converter (org.apache.camel.impl.converter)", r"^org\.apache\.camel\.(impl\.converter|converter)\."),
    ("  of which converting to HttpMethods", r"^org\.apache\.camel\.component\.http\.HttpProducer\.createMethod|HttpMethods"),
    ("setHeader/setVariable/setBody steps", r"^org\.apache\.camel\.processor\.(SetHeaderProcessor|SetVariableProcessor|SetBodyProcessor)\.process"),
    ("removeHeaders/removeHeader steps", r"^org\.apache\.camel\.processor\.(RemoveHeadersProcessor|RemoveHeaderProcessor)\.process"),
    ("filter steps (FilterProcessor)", r"^org\.apache\.camel\.processor\.FilterProcessor\.(process|matches)"),
    ("simple language", r"^org\.apache\.camel\.language\.simple\."),
    ("bean steps (camel-bean)", r"^org\.apache\.camel\.component\.bean\."),
    ("direct: hops (DirectProducer)", r"^org\.apache\.camel\.component\.direct\.DirectProducer\.process"),
    ("camel-http producer (HttpProducer.process)", r"^org\.apache\.camel\.component\.http\.HttpProducer\.process"),
    ("  of which Apache HttpClient 5 (org.apache.hc)", r"^org\.apache\.hc\."),
    ("leadsync store (io.leadsync.storage)", r"^io\.leadsync\.storage\."),
    ("  of which SQLite JDBC (org.sqlite)", r"^org\.sqlite\."),
    ("POST /leads intake (io.leadsync.intake / rest)", r"^io\.leadsync\.(intake|api|rest|web)\."),
    ("Vert.x / Netty", r"^(io\.vertx|io\.netty)\."),
    ("Jackson databind/core (any caller)", r"^com\.fasterxml\.jackson\."),
    ("any io.leadsync frame", r"^io\.leadsync\."),
    ("Camel threads pool (Threads)", r"^org\.apache\.camel\.processor\.ThreadsProcessor"),
    ("JFR/JIT-ish (jdk.jfr)", r"^jdk\.jfr\."),
]
CATS = [(l, re.compile(p)) for l, p in CATS]

def pkg(frame, depth):
    name = frame.split("(")[0]
    parts = name.split(".")
    cls_idx = next((i for i, p in enumerate(parts) if p[:1].isupper()), len(parts) - 1)
    return ".".join(parts[:min(depth, cls_idx)])

lo = hi = None
if len(sys.argv) == 3:
    lo, hi = sys.argv[1], sys.argv[2]
n = 0
inc = collections.Counter(); pk = collections.Counter(); selfm = collections.Counter(); thr = collections.Counter()
selfp = collections.Counter()
frames = []; t = None; thread = ""; in_stack = False; truncated = 0
def flush():
    global n, frames, truncated
    if frames and (lo is None or (t and lo <= t <= hi)):
        n += 1
        thr[thread] += 1
        for lab, rx in CATS:
            if any(rx.search(f) for f in frames):
                inc[lab] += 1
        for p in {pkg(f, 4) for f in frames}:
            pk[p] += 1
        selfm[frames[0].split("(")[0]] += 1
        selfp[pkg(frames[0], 4)] += 1
    frames = []
for line in sys.stdin:
    s = line.strip()
    if s.startswith("jdk.ExecutionSample"):
        flush(); in_stack = False; t = None; thread = ""
    elif s.startswith("startTime = "):
        t = s.split()[2][:8]
    elif s.startswith("sampledThread = "):
        m = re.search(r'"([^"]*)"', s); thread = re.sub(r"\d+", "#", m.group(1)) if m else "?"
    elif s.startswith("stackTrace = ["):
        in_stack = True
    elif in_stack:
        if s == "]": in_stack = False
        elif s == "...": truncated += 1
        elif s: frames.append(s)
flush()
print(f"samples: {n} (truncated stacks: {truncated})")
print("\n-- inclusive share by category (a sample counts when any frame matches)")
for lab, _ in CATS:
    print(f"{100.0*inc[lab]/max(n,1):6.1f}%  {inc[lab]:6d}  {lab}")
print("\n-- inclusive share by package (4 components), top 40")
for p, c in pk.most_common(40):
    print(f"{100.0*c/n:6.1f}%  {c:6d}  {p}")
print("\n-- self (top frame) by package, top 20")
for p, c in selfp.most_common(20):
    print(f"{100.0*c/n:6.1f}%  {c:6d}  {p}")
print("\n-- self (top frame) by method, top 30")
for p, c in selfm.most_common(30):
    print(f"{100.0*c/n:6.1f}%  {c:6d}  {p}")
print("\n-- samples by thread, top 12")
for p, c in thr.most_common(12):
    print(f"{100.0*c/n:6.1f}%  {c:6d}  {p}")
