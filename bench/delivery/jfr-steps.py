#!/usr/bin/env python3
"""Attribute the jdk.ExecutionSample events of `jfr print --stack-depth 256 --events jdk.ExecutionSample X.jfr` (saved to
FILE) in a wall-clock window FROM..TO (HH:MM:SS) to the innermost Camel route step, plus inclusive features.
Usage: jfr-steps.py FILE FROM TO"""
import re, sys, collections
path, lo, hi = sys.argv[1], sys.argv[2], sys.argv[3]
STEP = [  # innermost match wins (checked from the leaf up)
 ("step: to <crm> http (HttpProducer)", r"^org\.apache\.camel\.component\.http\.HttpProducer\.process\("),
 ("step: marshal json", r"^org\.apache\.camel\.support\.processor\.MarshalProcessor\.process\("),
 ("step: setBody", r"^org\.apache\.camel\.processor\.SetBodyProcessor\.process\("),
 ("step: setHeader", r"^org\.apache\.camel\.processor\.SetHeaderProcessor\.process\("),
 ("step: setVariable", r"^org\.apache\.camel\.processor\.SetVariableProcessor\.process\("),
 ("step: removeHeader(s)", r"^org\.apache\.camel\.processor\.RemoveHeaders?Processor\.process\("),
 ("step: filter (predicate)", r"^org\.apache\.camel\.processor\.FilterProcessor\.matches\("),
 ("step: choice (predicate)", r"^org\.apache\.camel\.processor\.ChoiceProcessor\.process\("),
 ("step: bean / method", r"^org\.apache\.camel\.component\.bean\.(AbstractBeanProcessor|BeanProcessor)\.process\(|^org\.apache\.camel\.language\.bean\.BeanExpression\.evaluate\("),
 ("step: threads hand-off", r"^org\.apache\.camel\.processor\.ThreadsProcessor\.process\("),
]
FEAT = [
 ("String->HttpMethods type conversion (HttpMethodHelper.createMethod -> converter)", None),
 ("HttpProducer.createMethod total (method + URI per request)", r"^org\.apache\.camel\.component\.http\.HttpProducer\.createMethod\("),
 ("  of which URI building (HttpHelper.createURI / java.net.URI)", None),
 ("other type conversions (impl.converter, not the method)", None),
 ("jq evaluation (camel-jq JqExpression.evaluate)", r"^org\.apache\.camel\.language\.jq\.JqExpression\.evaluate\("),
 ("marshal json (MarshalProcessor)", r"^org\.apache\.camel\.support\.processor\.MarshalProcessor\.process\("),
 ("LeadDelivery.lead (update -> JsonNode for jq)", r"^io\.leadsync\.delivery\.LeadDelivery\.lead\("),
 ("old request building (SuperfoneLeads.request / CrmExchanges.send)", r"^io\.leadsync\.(superfone\.SuperfoneLeads\.request|crm\.CrmExchanges\.send)\("),
 ("answer reading (upserted/read -> CrmExchanges.answer)", r"^io\.leadsync\.crm\.CrmExchanges\.answer\("),
 ("direct: hops (DirectProducer)", r"^org\.apache\.camel\.component\.direct\.DirectProducer\.process\("),
 ("Apache HttpClient 5 (org.apache.hc)", r"^org\.apache\.hc\."),
 ("POST /leads intake (LeadsResource.accept)", r"^io\.leadsync\.delivery\.LeadsResource\.accept\("),
 ("store group commit (GroupCommit.run)", r"^io\.leadsync\.storage\.GroupCommit\.run\("),
 ("LeadDelivery.delivered (receipt)", r"^io\.leadsync\.delivery\.LeadDelivery\.delivered\("),
 ("Vert.x/Netty event loop (io.netty)", r"^io\.netty\."),
 ("Camel delivery threads (Camel (camel-1) thread)", None),
]
steps = [(l, re.compile(p)) for l, p in STEP]
feats = [(l, re.compile(p) if p else None) for l, p in FEAT]
n = 0; sc = collections.Counter(); fc = collections.Counter(); thr = collections.Counter()
def handle(st, thread):
    global n
    n += 1
    names = [f.split("(")[0] for f in st]
    # step
    lab = None
    for f in st:
        for l, rx in steps:
            if rx.search(f): lab = l; break
        if lab: break
    if lab is None:
        lab = "no step: Camel route machinery" if any(x.startswith("org.apache.camel.") for x in names) else "not in a Camel route (" + ("Vert.x/REST" if any(x.startswith(("io.vertx", "io.netty", "org.jboss.resteasy")) for x in names) else thread) + ")"
    sc[lab] += 1
    for l, rx in feats:
        hit = False
        if rx is not None: hit = any(rx.search(f) for f in st)
        elif l.startswith("String->HttpMethods"):
            hit = any("HttpMethodHelper.createMethod" in x for x in names) and any(".impl.converter." in x for x in names)
        elif l.startswith("  of which URI"):
            i = [k for k, x in enumerate(names) if x.endswith("HttpProducer.createMethod")]
            hit = bool(i) and any(("HttpHelper.createURI" in x or x.startswith("java.net.URI.")) for x in names[:i[0]])
        elif l.startswith("other type conversions"):
            hit = any(".impl.converter." in x for x in names) and not any("HttpMethodHelper.createMethod" in x for x in names)
        elif l.startswith("Camel delivery threads"):
            hit = thread.startswith("Camel")
        if hit: fc[l] += 1
cur = []; t = None; thread = ""; inst = False
def flush():
    if cur and lo <= (t or "") <= hi: handle(cur, thread)
for line in open(path):
    s = line.strip()
    if s.startswith("jdk.ExecutionSample"):
        flush(); cur = []; t = None; thread = ""; inst = False
    elif s.startswith("startTime = "): t = s.split()[2][:8]
    elif s.startswith("sampledThread = "):
        m = re.search(r'"([^"]*)"', s); thread = m.group(1) if m else "?"
    elif s.startswith("stackTrace = ["): inst = True
    elif inst:
        if s == "]": inst = False
        elif s: cur.append(s)
flush()
print(f"samples in window {lo}-{hi}: {n}")
print("-- by innermost route step (exclusive; sums to 100%)")
for l, c in sc.most_common(): print(f"{100*c/n:6.1f}% {c:5d}  {l}")
print("-- features (inclusive)")
for l, _ in feats: print(f"{100*fc[l]/n:6.1f}% {fc[l]:5d}  {l}")
