#!/usr/bin/env python3
# Usage: bench/make-image-like-dataset.py OUT_DIR   (numpy; about 2 minutes; 190 MB)
# Synthetic 784-d "image-like" vectors (MNIST-shaped): 10 class prototypes, a rank-24 class-specific
# variation, pixel noise, clipped to [0, 255]. Euclidean; exact top-100 ground truth in float64.
import numpy as np, json
rng = np.random.default_rng(784)
n, nq, d, classes, rank = 60000, 1000, 784, 10, 24
protos = np.clip(rng.normal(60, 80, (classes, d)), 0, 255)
bases = rng.normal(0, 1, (classes, rank, d)) * 18
def sample(m):
    c = rng.integers(0, classes, m)
    z = rng.normal(0, 1, (m, rank))
    x = protos[c] + np.einsum('mr,mrd->md', z, bases[c]) + rng.normal(0, 20, (m, d))
    return np.clip(x, 0, 255).astype(np.float32)
import sys, os
out = sys.argv[1] if len(sys.argv) > 1 else "."
os.makedirs(out, exist_ok=True); os.chdir(out)
base, query = sample(n), sample(nq)
def write_vecs(path, a, dtype):
    a = np.ascontiguousarray(a.astype(dtype))
    out = np.empty((a.shape[0], a.shape[1] + 1), dtype=np.int32 if dtype == np.int32 else np.float32)
    out[:, 1:] = a
    out.view(np.int32)[:, 0] = a.shape[1]
    out.tofile(path)
write_vecs('base.fvecs', base, np.float32)
write_vecs('query.fvecs', query, np.float32)
b64 = base.astype(np.float64); bn = (b64 ** 2).sum(1)
gt = np.empty((nq, 100), np.int32); gd = np.empty((nq, 100), np.float32)
for s in range(0, nq, 100):
    q = query[s:s+100].astype(np.float64)
    dist = (q ** 2).sum(1)[:, None] + bn[None, :] - 2 * q @ b64.T
    idx = np.argpartition(dist, 100, axis=1)[:, :100]
    for i in range(q.shape[0]):
        o = idx[i][np.argsort(dist[i, idx[i]], kind='stable')]
        gt[s+i] = o; gd[s+i] = dist[i, o]
write_vecs('groundtruth.ivecs', gt, np.int32)
write_vecs('groundtruth.dist.fvecs', gd, np.float32)
json.dump({"n": n, "nq": nq, "dim": d, "metric": "euclidean_squared",
           "source": "synthetic: bench/make-image-like-dataset.py (seed 784)"}, open('meta.json', 'w'))
print("ok")
