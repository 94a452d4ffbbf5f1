/**
 * Every request the fake answered, for assertions and benchmarks: counts per endpoint key and the
 * peak number of product-API requests in flight at once.
 */
export interface RequestLogEntry {
  /** When the answer was sent (the fake's clock, ms). */
  at: number;
  /** When the request arrived (the fake's clock, ms), before any injected latency or hold. */
  arrivedAt: number;
  method: string;
  host: string;
  path: string;
  /** The query string as sent, with its leading `?` (empty when none). */
  query: string;
  endpoint: string;
  status: number;
  auth: 'bearer' | 'basic' | 'none';
  durationMs: number;
  /** The request body as sent (POSTs such as users-bulk), so a benchmark can replay the request. */
  body?: string;
}

export interface RequestLog {
  entries: RequestLogEntry[];
  count(endpoint?: string): number;
  peakConcurrency: number;
  reset(): void;
}

export class RequestLogImpl implements RequestLog {
  entries: RequestLogEntry[] = [];
  peakConcurrency = 0;
  private inFlight = 0;

  count(endpoint?: string): number {
    if (endpoint === undefined) return this.entries.length;
    let n = 0;
    for (const e of this.entries) if (e.endpoint === endpoint) n++;
    return n;
  }

  reset(): void {
    this.entries = [];
    this.peakConcurrency = this.inFlight;
  }

  /** A product-API request started; returns the function that marks it finished. */
  begin(): () => void {
    this.inFlight++;
    if (this.inFlight > this.peakConcurrency) this.peakConcurrency = this.inFlight;
    let done = false;
    return () => {
      if (!done) {
        done = true;
        this.inFlight--;
      }
    };
  }

  add(entry: RequestLogEntry): void {
    this.entries.push(entry);
  }
}
