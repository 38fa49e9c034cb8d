import { describe, expect, it } from 'vitest';
import { SignInThrottle } from './throttle';

describe('SignInThrottle', () => {
  it('locks after the maximum number of failures within the window', () => {
    const throttle = new SignInThrottle(3, 60_000);
    throttle.fail('a@x', 0);
    throttle.fail('a@x', 1000);
    expect(throttle.isLocked('a@x', 2000)).toBe(false);
    throttle.fail('a@x', 2000);
    expect(throttle.isLocked('a@x', 2001)).toBe(true);
    expect(throttle.isLocked('b@x', 2001)).toBe(false);
  });

  it('unlocks once old failures leave the window', () => {
    const throttle = new SignInThrottle(2, 60_000);
    throttle.fail('a@x', 0);
    throttle.fail('a@x', 30_000);
    expect(throttle.isLocked('a@x', 59_999)).toBe(true);
    expect(throttle.isLocked('a@x', 60_000)).toBe(false);
  });

  it('forgets failures after a success', () => {
    const throttle = new SignInThrottle(2, 60_000);
    throttle.fail('a@x', 0);
    throttle.succeed('a@x');
    throttle.fail('a@x', 1);
    expect(throttle.isLocked('a@x', 2)).toBe(false);
  });
});
