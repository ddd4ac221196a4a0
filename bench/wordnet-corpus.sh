#!/usr/bin/env bash
# The "glosses" BM25 corpus: many short documents, the other shape next to the Debian package descriptions.
# One document per WordNet 3.0 synset (117,659), its text the synset's gloss (definition plus examples: the text
# after "| " in /usr/share/wordnet/data.{noun,verb,adj,adv}, Debian package wordnet-base). Queries: the glosses of
# 1,000 synsets drawn with a fixed seed among those with at least 8 words (the benchmarks use the first 8 words),
# so each query's own synset is in the corpus, as a user pasting a definition would find it.
# Writes docs.jsonl and queries.jsonl in the format of shared/data/debian-minilm ({"id": int, "text": str, ...}),
# so bench/text-compare.sh and the Lucene peer read it unchanged.
#
# Usage: bench/wordnet-corpus.sh [OUT_DIR] [SEED]    default: bench/out/data/wordnet-glosses, seed 7
# Needs: wordnet-base (apt-get install -y wordnet-base) and python3.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$root/bench/out/data/wordnet-glosses}
seed=${2:-7}
wn=${WORDNET_DIR:-/usr/share/wordnet}
if [ ! -f "$wn/data.noun" ]; then
  echo "wordnet-corpus: $wn/data.noun not found; install Debian's wordnet-base (apt-get install -y wordnet-base)" >&2
  exit 1
fi
mkdir -p "$out"
python3 - "$wn" "$out" "$seed" <<'PY'
import json, random, sys
wn, out, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
docs = []
for pos in ("noun", "verb", "adj", "adv"):
    with open(f"{wn}/data.{pos}", encoding="utf-8") as f:
        for line in f:
            if line.startswith("  "):          # the license header
                continue
            head, sep, gloss = line.partition("| ")
            if not sep:
                raise SystemExit(f"data.{pos}: no gloss in line {line[:40]!r}")
            offset, _, _, _, word = head.split(" ")[:5]   # offset lex_filenum ss_type w_cnt word ...
            docs.append({"id": len(docs), "synset": f"{pos}:{offset}", "word": word, "text": gloss.strip()})
candidates = [d for d in docs if len(d["text"].split()) >= 8]
queries = random.Random(seed).sample(candidates, 1000)
with open(f"{out}/docs.jsonl", "w", encoding="utf-8") as f:
    for d in docs:
        f.write(json.dumps(d, ensure_ascii=False) + "\n")
with open(f"{out}/queries.jsonl", "w", encoding="utf-8") as f:
    for i, d in enumerate(queries):
        f.write(json.dumps({"id": i, "synset": d["synset"], "doc": d["id"], "text": d["text"]}, ensure_ascii=False) + "\n")
with open(f"{out}/meta.json", "w", encoding="utf-8") as f:
    json.dump({"name": "wordnet-glosses", "n_base": len(docs), "n_query": len(queries), "seed": seed,
               "source": "WordNet 3.0 synset glosses (Debian wordnet-base, data.{noun,verb,adj,adv}), one doc per "
                         "synset; queries = glosses of 1,000 seeded-random synsets with >= 8 words"}, f)
    f.write("\n")
print(f"wordnet-corpus: {len(docs)} docs, {len(queries)} queries (seed {seed}) in {out}", file=sys.stderr)
PY
