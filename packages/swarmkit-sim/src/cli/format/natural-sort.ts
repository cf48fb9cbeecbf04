// sortorder.NaturalLess (github.com/fvbommel/sortorder), which the Docker CLI uses to sort node
// hostnames and service names: runs of digits compare by numeric value, so "node-2" < "node-10";
// a digit sorts before any other character; on equal value fewer leading zeros come first.

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function naturalLess(a: string, b: string): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    const da = isDigit(ca);
    const db = isDigit(cb);
    if (da !== db) return da;
    if (!da) {
      if (ca !== cb) return ca < cb;
      i++;
      j++;
      continue;
    }
    while (i < a.length && a.charCodeAt(i) === 48) i++;
    while (j < b.length && b.charCodeAt(j) === 48) j++;
    const startA = i;
    const startB = j;
    while (i < a.length && isDigit(a.charCodeAt(i))) i++;
    while (j < b.length && isDigit(b.charCodeAt(j))) j++;
    if (i - startA !== j - startB) return i - startA < j - startB;
    const runA = a.slice(startA, i);
    const runB = b.slice(startB, j);
    if (runA !== runB) return runA < runB;
    // Same value: everything before was equal, so the one that had fewer zeros is ahead.
    if (startA !== startB) return startA < startB;
  }
  return a.length < b.length;
}

/** A comparator for Array.prototype.sort built on naturalLess. */
export function naturalCompare(a: string, b: string): number {
  if (naturalLess(a, b)) return -1;
  if (naturalLess(b, a)) return 1;
  return 0;
}

/** A copy sorted in natural order (stable). */
export function naturalSort<T>(items: readonly T[], key: (item: T) => string = (x) => String(x)): T[] {
  return [...items].sort((x, y) => naturalCompare(key(x), key(y)));
}
