import type { Clock } from '../clock';

/**
 * Skips the answer source for `coolDownMs` after `threshold` consecutive failures. After the cool-down
 * one trial call goes through (half-open): success closes the breaker, failure opens it again.
 */
export class CircuitBreaker {
  private failures = 0;
  private openUntil: number | undefined;
  private trialInFlight = false;

  constructor(
    private readonly clock: Clock,
    readonly threshold = 5,
    readonly coolDownMs = 60_000,
  ) {}

  /** Whether a call may go to the source now. Reserves the trial call when half-open. */
  allow(): boolean {
    if (this.openUntil === undefined) return true;
    if (this.clock.now() < this.openUntil || this.trialInFlight) return false;
    this.trialInFlight = true;
    return true;
  }

  get state(): 'closed' | 'open' | 'half-open' {
    if (this.openUntil === undefined) return 'closed';
    return this.clock.now() < this.openUntil ? 'open' : 'half-open';
  }

  /** Milliseconds until the next trial call is allowed (0 when closed). */
  remainingMs(): number {
    return this.openUntil === undefined ? 0 : Math.max(0, this.openUntil - this.clock.now());
  }

  success(): void {
    this.failures = 0;
    this.openUntil = undefined;
    this.trialInFlight = false;
  }

  failure(): void {
    this.failures += 1;
    if (this.trialInFlight || this.failures >= this.threshold) this.openUntil = this.clock.now() + this.coolDownMs;
    this.trialInFlight = false;
  }
}
