/**
 * Every delayed thing the sandbox does (lifecycle steps, redeliveries, hung API answers) goes
 * through here so reset and close can cancel all of it: a test must not receive webhooks from
 * the previous test, and close() must not leave the process alive.
 */
export class Timers {
  private readonly pending = new Map<NodeJS.Timeout, () => void>();

  after(ms: number, run: () => void): void {
    const handle = setTimeout(() => {
      this.pending.delete(handle);
      run();
    }, ms);
    this.pending.set(handle, () => {});
  }

  /** Resolves after `ms`, or early (with false) when everything is cancelled. */
  sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const handle = setTimeout(() => {
        this.pending.delete(handle);
        resolve(true);
      }, ms);
      this.pending.set(handle, () => resolve(false));
    });
  }

  cancelAll(): void {
    for (const [handle, onCancel] of this.pending) {
      clearTimeout(handle);
      onCancel();
    }
    this.pending.clear();
  }
}
