/** Process-wide counters, served at /api/metrics when KEYWARD_METRICS_TOKEN is set. */
const globalForMetrics = globalThis as unknown as { keywardMetrics?: Map<string, number> };
const counters = (globalForMetrics.keywardMetrics ??= new Map());

export function increment(name: string, by = 1) {
  counters.set(name, (counters.get(name) ?? 0) + by);
}

export function snapshot(): Record<string, number> {
  return Object.fromEntries([...counters.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/** A value that is set rather than counted (a connection's state, a configured policy). */
export function setGauge(name: string, value: number) {
  counters.set(name, value);
}
