export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
}

/** Nearest-rank percentiles in ms, rounded to 0.1 ms; zeros when there is no sample. */
export function percentiles(samples: number[]): Percentiles {
  if (samples.length === 0) return { p50: 0, p95: 0, p99: 0 };
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) => {
    const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
    return Math.round(sorted[rank - 1]! * 10) / 10;
  };
  return { p50: at(50), p95: at(95), p99: at(99) };
}

export function round(n: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** CPU ms of this process (all its threads) so far. */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** CPU ms per run of `run` (all threads: libuv's too), after `warmup` unmeasured runs; its last answer beside. */
export async function cpuPerRun<T>(run: () => T | Promise<T>, rounds: number, warmup = 3): Promise<{ p50: number; mean: number; last: T }> {
  for (let i = 0; i < warmup; i++) await run();
  const samples: number[] = [];
  let last!: T;
  for (let i = 0; i < rounds; i++) {
    const c0 = cpuMs();
    last = await run();
    samples.push(cpuMs() - c0);
  }
  samples.sort((a, b) => a - b);
  return { p50: samples[Math.floor(samples.length / 2)]!, mean: samples.reduce((a, b) => a + b, 0) / samples.length, last };
}
