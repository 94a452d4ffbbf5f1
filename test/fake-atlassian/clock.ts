/**
 * The fake's notion of "now". Token lifetimes, code expiry and rotation leeway read it, so tests
 * can jump past 10 minutes or 1 hour with `advance()` instead of waiting.
 */
export class FakeClock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`advanceClock needs a non-negative number of ms, got ${ms}`);
    this.offsetMs += ms;
  }
}
