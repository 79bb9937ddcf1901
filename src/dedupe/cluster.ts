/**
 * Merge groups from proposed pairs: connected components (union-find), each sorted, the groups
 * ordered by their first id. A chain a~b, b~c proposes a, b, c together, which is what a reviewer
 * merging records sees; singletons are left out.
 */
export function clusterPairs(pairs: ReadonlyArray<{ a: string; b: string }>): string[][] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    for (let p = parent.get(root); p !== undefined && p !== root; p = parent.get(root)) root = p;
    for (let y = x; y !== root; ) {
      const next = parent.get(y) ?? root;
      parent.set(y, root); // path compression
      y = next;
    }
    return root;
  };
  for (const { a, b } of pairs) {
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  }
  const groups = new Map<string, string[]>();
  for (const id of parent.keys()) {
    const root = find(id);
    const g = groups.get(root);
    if (g === undefined) groups.set(root, [id]);
    else g.push(id);
  }
  return [...groups.values()].map((g) => g.sort()).sort((x, y) => ((x[0] ?? "") < (y[0] ?? "") ? -1 : 1));
}
