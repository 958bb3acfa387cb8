export type DeliveryFaultKind = "duplicate" | "reorder" | "fail";
/** `reset`: the connection is cut (socket destroyed) with no answer at all, as a crashed gateway does. */
export type ApiFaultKind = "500" | "429" | "timeout" | "reset";
/**
 * `before`: the call fails and nothing changes. `after`: the handler runs and its change stays,
 * but the answer is lost on the way back, replaced by the fault (the case that tempts a client
 * to repeat a call that already took effect).
 */
export type ApiFaultPhase = "before" | "after";

export interface DeliveryFault {
  kind: DeliveryFaultKind;
  remaining: number;
  /** For `fail`: how many attempts of each delivery count as failed before one may succeed. */
  failAttempts: number;
}

export interface ApiFault {
  kind: ApiFaultKind;
  phase: ApiFaultPhase;
  remaining: number;
  retryAfterSeconds: number;
  /** For `timeout`: how long the answer is held before a 504 goes out. */
  delayMs: number;
  /** Only calls whose path contains this are hit; null hits every Partner API call. */
  pathContains: string | null;
  /**
   * Only calls with this method are hit; null hits any. A channel's keys are created (POST) and read
   * back (GET) on the same path, so a fault meant for the creation must not eat the read-back.
   */
  method: string | null;
}

/** Counters of injected misbehaviour; each hit consumes one unit so tests know exactly what fails. */
export class Faults {
  delivery: DeliveryFault | null = null;
  api: ApiFault[] = [];
  /** How many of the next accepted messages end `failed` (131026) instead of `sent` and `delivered`. */
  failingMessages = 0;

  takeDelivery(): DeliveryFault | null {
    const fault = this.delivery;
    if (!fault || fault.remaining <= 0) return null;
    fault.remaining -= 1;
    if (fault.remaining === 0) this.delivery = null;
    // The copy's `remaining` tells a reorder batch whether this was its last event.
    return { ...fault };
  }

  takeApi(path: string, method: string): ApiFault | null {
    const fault = this.api.find(
      (f) =>
        f.remaining > 0 &&
        (f.pathContains === null || path.includes(f.pathContains)) &&
        (f.method === null || f.method === method),
    );
    if (!fault) return null;
    fault.remaining -= 1;
    this.api = this.api.filter((f) => f.remaining > 0);
    return { ...fault };
  }

  takeMessageFailure(): boolean {
    if (this.failingMessages <= 0) return false;
    this.failingMessages -= 1;
    return true;
  }

  clear(): void {
    this.delivery = null;
    this.api = [];
    this.failingMessages = 0;
  }

  snapshot(): { delivery: DeliveryFault | null; api: ApiFault[]; failingMessages: number } {
    return {
      delivery: this.delivery ? { ...this.delivery } : null,
      api: this.api.map((f) => ({ ...f })),
      failingMessages: this.failingMessages,
    };
  }
}
