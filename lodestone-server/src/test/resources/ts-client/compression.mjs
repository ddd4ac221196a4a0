// Writes and queries a Lodestone namespace with the official turbopuffer TypeScript client, compression on.
// Usage: TURBOPUFFER_BASE_URL=http://127.0.0.1:PORT TURBOPUFFER_API_KEY=x node compression.mjs NAMESPACE
// Prints one JSON line with what it saw; exits non-zero when anything is off.
import Turbopuffer from '@turbopuffer/turbopuffer';

const encodings = [];
const recordingFetch = (url, init = {}) => {
  const h = new Headers(init.headers);
  if (init.method && init.method.toUpperCase() === 'POST') encodings.push(h.get('content-encoding') ?? 'identity');
  return fetch(url, init);
};

const client = new Turbopuffer({ compression: true, fetch: recordingFetch, maxRetries: 0 });
const ns = client.namespace(process.argv[2]);

// Seeded rows: 300 × 8-d vectors plus a text attribute, well over the client's 1 KiB compression threshold.
let seed = 42;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];
const rows = [];
for (let i = 0; i < 300; i++) {
  rows.push({
    id: i,
    vector: Array.from({ length: 8 }, () => rand() * 2 - 1),
    text: `${words[i % 8]} ${words[(i * 3) % 8]} document ${i}`,
  });
}
const write = await ns.write({
  upsert_rows: rows,
  distance_metric: 'euclidean_squared',
  schema: { text: { type: 'string', full_text_search: true } },
});

const target = rows[123].vector;
const ann = await ns.query({ rank_by: ['vector', 'kNN', target], top_k: 3 });
const bm25 = await ns.query({ rank_by: ['text', 'BM25', 'document 77'], top_k: 1 });

const out = {
  rows_affected: write.rows_affected,
  nearest: ann.rows.map((r) => r.id),
  bm25_top: bm25.rows.map((r) => r.id),
  encodings,
};
console.log(JSON.stringify(out));
const ok = out.rows_affected === 300 && out.nearest[0] === 123 && out.bm25_top[0] === 77 && encodings[0] === 'gzip';
process.exit(ok ? 0 : 1);
