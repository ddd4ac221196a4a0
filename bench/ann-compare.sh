#!/usr/bin/env bash
# Runs hnswlib (the C++ peer) and Lodestone's HNSW on the same dataset, one after the other, and
# prints every JSON line, then a summary: for each engine, the best single-thread QPS among the
# ef values that reach recall@10 >= 0.95 and >= 0.99.
#
# Usage: bench/ann-compare.sh [DATASET_DIR] [EF_LIST]
#   DATASET_DIR  TEXMEX files base.fvecs, query.fvecs, groundtruth.ivecs (default: /work/shared/data/debian-minilm)
#   EF_LIST      comma-separated ef values (default: 10,15,20,25,30,40,50,60,80,100,120,160)
# Env:
#   HNSWLIB_RUN          the peer script (default: /work/shared/bench/hnswlib-native/run.sh)
#   CONFIGS              Lodestone configurations, PATH:QUANTIZATION each (default: "direct:none direct:sq8");
#                        PATH is direct (the HNSW index alone, in memory) or engine (written, indexed and
#                        queried through the server's code), QUANTIZATION none, sq8, pq or rabitq
#   QUANTIZATIONS        if CONFIGS is unset: the engine path with each of these quantizations (e.g. "none pq rabitq")
#   REPEAT               rounds of (hnswlib, then each Lodestone configuration) (default: 1)
#   THREADS              build threads for both (default: 2)
#   LODESTONE_JAVA_OPTS  extra JVM flags (the launcher already adds -XX:+UseTransparentHugePages where THP is on)
#   WARMUP_S, RUNS, RUN_S  the timing protocol, passed to both (defaults 2, 3, 1)
# JSON goes to stdout, context to stderr. Check `uptime` first: the machine should be idle.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
data="${1:-/work/shared/data/debian-minilm}"
efs="${2:-10,15,20,25,30,40,50,60,80,100,120,160}"
hnswlib="${HNSWLIB_RUN:-/work/shared/bench/hnswlib-native/run.sh}"
threads="${THREADS:-2}"
export LODESTONE_JAVA_OPTS="${LODESTONE_JAVA_OPTS:-}"
export WARMUP_S="${WARMUP_S:-2}" RUNS="${RUNS:-3}" RUN_S="${RUN_S:-1}" THREADS="$threads"

out="$(mktemp)"
trap 'rm -f "$out"' EXIT
echo "# $(date -u +%FT%TZ) $(uname -n) nproc=$(nproc) load: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
"$root/lodestone" version >/dev/null 2>&1 || true   # builds the jar first if the sources changed

for round in $(seq 1 "${REPEAT:-1}"); do
  echo "# round $round: hnswlib (load $(cut -d' ' -f1 /proc/loadavg))" >&2
  "$hnswlib" "$data" "$efs" | tee -a "$out"
  configs="${CONFIGS:-}"
  if [ -z "$configs" ] && [ -n "${QUANTIZATIONS:-}" ]; then
    for q in $QUANTIZATIONS; do configs="$configs engine:$q"; done
  fi
  for config in ${configs:-direct:none direct:sq8}; do
    path="${config%%:*}" q="${config#*:}"
    echo "# round $round: lodestone --path $path --quantization $q (load $(cut -d' ' -f1 /proc/loadavg))" >&2
    "$root/lodestone" bench ann --path "$path" --dataset "$data" --ef "$efs" --quantization "$q" \
      --threads "$threads" --warmup-s "$WARMUP_S" --runs "$RUNS" --run-s "$RUN_S" \
      | sed "s/^{/{\"path\": \"$path\", /" | tee -a "$out"
  done
done

python3 - "$out" <<'PY'
import json, sys, collections
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
runs = collections.defaultdict(list)
for r in rows:
    name = r.get("peer") or "lodestone-" + r.get("path", "direct") + "-" + r.get("quantization", "none")
    runs[name].append(r)
print("# summary: best qps_1t with recall@10 >= threshold (median over rounds of each ef)")
for name, rs in runs.items():
    by_ef = collections.defaultdict(list)
    for r in rs:
        by_ef[r["ef"]].append(r)
    def med(xs):
        xs = sorted(xs); n = len(xs)
        return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2
    pts = [(ef, med([x["recall_at_10"] for x in v]), med([x["qps_1t"] for x in v]), med([x["build_s"] for x in v]))
           for ef, v in sorted(by_ef.items())]
    out = {"engine": name, "build_s": pts[0][3]}
    for t in (0.95, 0.99):
        ok = [p for p in pts if p[1] >= t]
        best = max(ok, key=lambda p: p[2]) if ok else None
        out[f"qps_at_{t}"] = round(best[2], 1) if best else None
        out[f"ef_at_{t}"] = best[0] if best else None
    print(json.dumps(out))
PY
