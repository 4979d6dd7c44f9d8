import seedrandom from 'seedrandom';

/**
 * The one source of randomness for draws and inspector assignment. seedrandom's default ARC4 generator takes the
 * whole seed string and gives the same sequence on every machine and Node version; its version is pinned in
 * package.json because a stored draw must replay identically for as long as it is kept.
 */
export class SeededRandom {
  private readonly next: () => number;

  constructor(seed: string) {
    this.next = seedrandom(seed);
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Forward Fisher–Yates over a copy, stopped after `take` steps: the first `take` items are a uniform sample in random order. */
  shuffle<T>(items: readonly T[], take = items.length): T[] {
    const a = [...items];
    const steps = Math.min(take, a.length - 1);
    for (let i = 0; i < steps; i++) {
      const j = i + this.int(a.length - i);
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  }

  /** Index chosen with probability proportional to its (non-negative integer) weight; -1 when all weights are 0. */
  weighted(weights: readonly number[]): number {
    const total = weights.reduce((s, w) => s + w, 0);
    if (total <= 0) return -1;
    let r = this.int(total);
    for (let i = 0; i < weights.length; i++) {
      if (r < weights[i]) return i;
      r -= weights[i];
    }
    return -1;
  }
}

/** Sorting by code units, never by locale: the order (and so the draw) must not depend on the machine's ICU data. */
export function byId<T extends { id: string }>(a: T, b: T): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
