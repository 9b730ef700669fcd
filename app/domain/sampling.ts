/**
 * Call-back sampling (回访抽样, PRODUCT.md step 10): officials call a random sample of a project's
 * beneficiaries each month. The draw is reproducible from its seed (e.g. "<projectId>:2026-03"),
 * so anyone can re-run it and check that nobody was picked by hand. Pure: a seeded PRNG
 * (mulberry32 over an FNV-1a hash of the seed) and a partial Fisher–Yates shuffle over the ids
 * in a canonical (sorted) order, so the input order does not matter.
 */

/** FNV-1a, 32 bits, of a string's UTF-16 code units. */
export function seedHash(seed: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) {
    h ^= seed.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** mulberry32: a small, well-distributed 32-bit PRNG; returns numbers in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `size` distinct ids drawn from `ids` (all of them when there are fewer), in draw order. */
export function drawSample(ids: readonly string[], size: number, seed: string): string[] {
  if (!Number.isInteger(size) || size < 0) throw new RangeError("sample size must be a non-negative integer");
  const pool = [...new Set(ids)].sort();
  const n = Math.min(size, pool.length);
  const random = prng(seedHash(seed));
  for (let i = 0; i < n; i++) {
    const j = i + Math.floor(random() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, n);
}

/** Per-project sample size so that an area with `projects` projects calls about `monthlyTarget` people a month (at least 1). */
export function sampleSizeFor(projects: number, monthlyTarget = 250): number {
  if (projects <= 0) return 0;
  return Math.max(1, Math.ceil(monthlyTarget / projects));
}
