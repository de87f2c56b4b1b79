"""Node positions computed on the server, so a large network opens at once in the browser.

Two steps, both deterministic:

1. a **disc seed** in O(n) (`disc_seed`): breadth-first from the subject, each hop of the graph an
   annulus around it whose area is its number of nodes, so the seed already has the even density
   a force layout ends with, and each node starts near the node that reached it;
2. igraph's Fruchterman–Reingold with its grid approximation (O(n) per iteration) from that seed:
   300 / 100 / 60 iterations below 500 / 3,000 / above nodes.

The grid approximation compares each node with those of its own and the neighbouring cells, so its
cost depends on the density of the start: from the former seed (every node of a hop on one thin
ring) the cells of the outer rings held hundreds of nodes, and 60 iterations on 5,000 nodes cost
0.3–0.5 s of CPU; from the disc seed they cost about 0.06 s (bench/subjects_network.py).
"""

from __future__ import annotations

import math


def disc_seed(n: int, adjacency: list[list[int]], roots: list[int]) -> list[list[float]]:
    """[x, y] of nodes 0…n-1 filling a disc at even density, in O(n): breadth-first from `roots`
    (the centre), each depth an annulus whose area is its number of nodes (unit area per node);
    within a depth, nodes go round in the order of their parents' angles (so a node starts near
    the one that reached it) and spread across the annulus's width by a golden-ratio sequence.
    Nodes no root reaches form the outermost annulus."""
    depth = [-1] * n
    angle = [0.0] * n
    levels: list[list[int]] = [[]]
    for r in roots:
        if depth[r] < 0:
            depth[r] = 0
            levels[0].append(r)
    while levels[-1]:
        nxt: list[int] = []
        for v in levels[-1]:  # in angle order: children come out grouped by their parent
            for w in adjacency[v]:
                if depth[w] < 0:
                    depth[w] = depth[v] + 1
                    nxt.append(w)
        levels.append(nxt)
        for j, w in enumerate(nxt):
            angle[w] = 2 * math.pi * (j + 0.5) / len(nxt)
    levels.append([i for i in range(n) if depth[i] < 0])
    pos = [[0.0, 0.0] for _ in range(n)]
    inner = 0.0  # nodes inside the current annulus
    golden = (math.sqrt(5) - 1) / 2
    for members in levels:
        if not members:
            continue
        if inner == 0 and len(members) == 1:
            inner = 1.0  # the centre alone, at (0, 0)
            continue
        r0 = math.sqrt(inner / math.pi)
        r1 = math.sqrt((inner + len(members)) / math.pi)
        for j, v in enumerate(members):
            a = angle[v] if depth[v] > 0 else 2 * math.pi * (j + 0.5) / len(members)
            r = math.sqrt(r0 * r0 + (r1 * r1 - r0 * r0) * ((j * golden) % 1.0))
            pos[v] = [r * math.cos(a), r * math.sin(a)]
        inner += len(members)
    return pos


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
    adjacency: list[list[int]] = [[] for _ in range(n)]
    for a, b in pairs:
        adjacency[a].append(b)
        adjacency[b].append(a)
    roots = [index[key] for key in keys if hops.get(key, 0) == 0] or [0]
    seed = disc_seed(n, adjacency, roots)
    graph = igraph.Graph(n=n, edges=pairs)
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
