/**
 * Sign-in throttling: after `maxFailures` failed attempts for one email within `windowMs`, further
 * attempts are refused until the window has passed. Kept in memory (per instance); time is a parameter.
 */
export class SignInThrottle {
  private failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures = 10,
    private readonly windowMs = 15 * 60_000,
  ) {}

  private recent(key: string, now: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (list.length === 0) this.failures.delete(key);
    else this.failures.set(key, list);
    return list;
  }

  /** Whether an attempt for this key is refused right now. */
  isLocked(key: string, now: number): boolean {
    return this.recent(key, now).length >= this.maxFailures;
  }

  /** Records a failed attempt. */
  fail(key: string, now: number): void {
    this.failures.set(key, [...this.recent(key, now), now]);
  }

  /** Forgets failures after a successful sign-in. */
  succeed(key: string): void {
    this.failures.delete(key);
  }
}
