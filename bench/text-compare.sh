#!/usr/bin/env bash
# BM25 full-text: Lodestone (`lodestone bench text`) next to the Lucene 10.6.0 peer (shared/bench/lucene-bm25), same
# machine, same data, same protocol, runs interleaved (Lucene, Lodestone, Lucene, ...) so that machine load hits both.
#
# Usage: bench/text-compare.sh [DATASET_DIR] [RUNS]      default: $SHARED/data/debian-minilm, 3 runs each
# Env:   SHARED (default: ../shared beside the repo, else /work/shared), OUT (default: bench/out/text),
#        JAVA_OPTS (Lucene) and LODESTONE_JAVA_OPTS (Lodestone), both default -Xmx2g; WARMUP_S, RUNS_EACH, RUN_S
#        (the peer's timing knobs, passed to both).
# Prints each run's JSON line, the top-10 overlap (compare_topk.py), and a markdown table of medians (min–max).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${SHARED:-}" ]; then
  if [ -d "$root/../shared/bench" ]; then SHARED=$(cd "$root/../shared" && pwd); else SHARED=/work/shared; fi
fi
data=${1:-$SHARED/data/debian-minilm}
runs=${2:-3}
out=${OUT:-$root/bench/out/text}
peer=$SHARED/bench/lucene-bm25
mkdir -p "$out"
if [ ! -w "$peer" ]; then   # the peer compiles into its own target/: work on a copy when the kit is read-only
  rm -rf "$out/lucene-bm25" && cp -r "$peer" "$out/lucene-bm25" && chmod -R u+w "$out/lucene-bm25"
  peer=$out/lucene-bm25
fi
: > "$out/lucene.jsonl"; : > "$out/lodestone.jsonl"; : > "$out/lucene.log"; : > "$out/lodestone.log"
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export JAVA_OPTS=${JAVA_OPTS:--Xmx2g} LODESTONE_JAVA_OPTS=${LODESTONE_JAVA_OPTS:--Xmx2g}
"$root/lodestone" build
timing=(--warmup-s "${WARMUP_S:-2}" --runs "${RUNS_EACH:-3}" --run-s "${RUN_S:-1}")

for i in $(seq 1 "$runs"); do
  echo "# run $i/$runs: lucene-bm25" >&2
  WARMUP_S=${WARMUP_S:-2} RUNS=${RUNS_EACH:-3} RUN_S=${RUN_S:-1} \
    "$peer/run.sh" "$data" "$out/lucene-top10.jsonl" 2>>"$out/lucene.log" | tee -a "$out/lucene.jsonl"
  echo "# run $i/$runs: lodestone-bm25" >&2
  "$root/lodestone" bench text --docs "$data/docs.jsonl" --queries "$data/queries.jsonl" \
    --out "$out/lodestone-top10.jsonl" "${timing[@]}" 2>>"$out/lodestone.log" | tee -a "$out/lodestone.jsonl"
done

python3 "$peer/compare_topk.py" "$out/lucene-top10.jsonl" "$out/lodestone-top10.jsonl" --worst 3
if cmp -s "$out/lucene-top10.jsonl" "$out/lodestone-top10.jsonl"; then
  echo "top-10 files are byte-identical (ids and scores)"
fi
python3 - "$out/lucene.jsonl" "$out/lodestone.jsonl" <<'PY'
import json, statistics, sys
print("\n| engine | docs | queries | index_build_s | index_bytes | qps_1t |")
print("| --- | ---: | ---: | --- | ---: | --- |")
for path in sys.argv[1:]:
    rows = [json.loads(l) for l in open(path) if l.strip()]
    def cell(key, fmt):
        v = [r[key] for r in rows]
        return f"{fmt.format(statistics.median(v))} ({fmt.format(min(v))}–{fmt.format(max(v))})" if len(v) > 1 else fmt.format(v[0])
    print(f"| {rows[0]['peer']} | {rows[0]['docs']:,} | {rows[0]['queries']:,} | {cell('index_build_s', '{:.2f}')}"
          f" | {rows[0]['index_bytes']:,} | {cell('qps_1t', '{:,.0f}')} |")
PY
