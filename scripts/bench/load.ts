import autocannon from "autocannon";

/** One endpoint as autocannon drives it: every request may be built afresh (distinct events, rotating users). */
export type LoadTarget = {
  name: string;
  method: "GET" | "POST";
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Builds each request; overrides `headers` and `body` when given. */
  next?: () => { headers: Record<string, string>; body?: string };
};

export type LoadResult = {
  name: string;
  method: "GET" | "POST";
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  requests: number;
  ok: number;
};

/** Runs `target` for `seconds` with `connections` open connections and returns its figures. */
export async function runLoad(
  baseUrl: string,
  target: LoadTarget,
  { connections, seconds }: { connections: number; seconds: number },
): Promise<LoadResult> {
  const result = await autocannon({
    url: `${baseUrl}${target.path}`,
    connections,
    duration: seconds,
    method: target.method,
    headers: target.headers,
    body: target.body,
    requests: target.next
      ? [
          {
            setupRequest: (request) => {
              const built = target.next!();
              return { ...request, method: target.method, headers: built.headers, body: built.body };
            },
          },
        ]
      : undefined,
  });
  const requests = result.requests.total;
  const errors = result.errors + result.timeouts + result.non2xx;
  return {
    name: target.name,
    method: target.method,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors,
    requests,
    ok: result["2xx"],
  };
}

/** The median of each figure over repeated runs of one target. */
export function medianOf(runs: LoadResult[]): LoadResult {
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  };
  return {
    name: runs[0]!.name,
    method: runs[0]!.method,
    rps: median(runs.map((run) => run.rps)),
    p50: median(runs.map((run) => run.p50)),
    p99: median(runs.map((run) => run.p99)),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
    requests: runs.reduce((sum, run) => sum + run.requests, 0),
    ok: runs.reduce((sum, run) => sum + run.ok, 0),
  };
}

/** A percentile of a list of numbers (nearest rank). */
export function percentile(values: number[], fraction: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}
