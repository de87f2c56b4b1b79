"""Node positions computed on the server, so a large network opens at once in the browser.

igraph's Fruchterman-Reingold with its grid approximation (O(n) per iteration), seeded with a
radial layout by hop (the subject in the middle, each hop a ring further out): deterministic, and
about 0.15 s for 5,000 nodes on this machine (bench/subjects_network.py).
"""

from __future__ import annotations

import math


def positions(keys: list[str], edges: list[tuple[str, str]], hops: dict[str, int], iterations=None):
    """{key: (x, y)} around the centre (0, 0), in a box of ±max(150, 30·√n)."""
    n = len(keys)
    if n == 0:
        return {}
    if n == 1:
        return {keys[0]: (0.0, 0.0)}
    import igraph

    index = {key: i for i, key in enumerate(keys)}
    pairs = sorted({(index[a], index[b]) for a, b in edges if a in index and b in index and a != b})
    graph = igraph.Graph(n=n, edges=pairs)
    by_ring: dict[int, list[int]] = {}
    for key in keys:
        by_ring.setdefault(hops.get(key, 0), []).append(index[key])
    seed = [[0.0, 0.0] for _ in range(n)]
    for ring, members in by_ring.items():
        for j, i in enumerate(members):
            angle = 2 * math.pi * j / len(members) + ring * 0.5
            radius = ring * 10.0 + (0.001 * j if ring == 0 else 0.0)
            seed[i] = [radius * math.cos(angle), radius * math.sin(angle)]
    if iterations is None:
        iterations = 300 if n < 500 else 100 if n < 3000 else 60
    layout = graph.layout_fruchterman_reingold(seed=seed, niter=iterations, grid=n >= 500)
    coords = layout.coords
    xs = [c[0] for c in coords]
    ys = [c[1] for c in coords]
    cx, cy = sum(xs) / n, sum(ys) / n
    span = max(max(abs(x - cx) for x in xs), max(abs(y - cy) for y in ys)) or 1.0
    # Node sizes are fixed in the browser, so the drawing's extent grows with the number of nodes:
    # about 60 px between neighbours whatever the size, and the view fits it to the screen.
    scale = max(150.0, 30.0 * math.sqrt(n)) / span
    return {
        key: (round((coords[i][0] - cx) * scale, 1), round((coords[i][1] - cy) * scale, 1))
        for key, i in index.items()
    }
