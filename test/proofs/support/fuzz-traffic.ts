import { expect } from "vitest";
import { z } from "zod";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { changedTables, nextTransactionId, tableCounter, type TableCounts } from "./fuzz-table-counts";

const errorShape = z.object({ error: z.object({ code: z.string(), message: z.string() }) });

/** The message the one error mapper gives anything unexpected: for an action, its 500. */
export const INTERNAL_ERROR_MESSAGE = "Something went wrong on our side. Please try again.";

export type Answer = { status: number; body: unknown; written: string[] };

/** How a server action ended, in HTTP terms: Next answers a thrown notFound 404, a redirect 303, a crash 500. */
export type ActionOutcome = { kind: "accepted" | "refused" | "crashed"; detail: string };

function isDigest(error: unknown, prefix: string): error is { digest: string } {
  const digest = (error as { digest?: unknown } | null)?.digest;
  return typeof digest === "string" && digest.startsWith(prefix);
}

/**
 * Classifies what a server action did. Refused: an error state with a human message, notFound()
 * (404), or a redirect back with an error in its query. Crashed: the generic internal-error state,
 * or any other throw, which Next turns into a 500 for the action request.
 */
export async function settleAction(run: () => Promise<unknown>): Promise<ActionOutcome> {
  try {
    const state = await run();
    const parsed = z.object({ status: z.enum(["success", "error"]), message: z.string() }).safeParse(state);
    if (!parsed.success) return { kind: "accepted", detail: "returned" };
    if (parsed.data.status === "success") return { kind: "accepted", detail: parsed.data.message };
    const crashed = parsed.data.message === INTERNAL_ERROR_MESSAGE;
    return { kind: crashed ? "crashed" : "refused", detail: parsed.data.message };
  } catch (error) {
    if (isDigest(error, "NEXT_HTTP_ERROR_FALLBACK;404")) return { kind: "refused", detail: "404" };
    if (isDigest(error, "NEXT_REDIRECT")) {
      const location = error.digest.split(";")[2] ?? "";
      const refused = /[?&](error|urls)=(?!set\b)/.test(location);
      return { kind: refused ? "refused" : "accepted", detail: `redirect ${location}` };
    }
    return { kind: "crashed", detail: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

/**
 * Sends hostile requests and holds every one to the property: an answer in 2xx or 4xx, a 4xx in the
 * `{ error: { code, message } }` shape, and not one row written by a refusal (exact counts of every
 * table before and after each request). Counts what it sent, for the proof's line.
 */
export class HostileTraffic {
  requests = 0;
  status5xx = 0;
  rowsWrittenByRefusals = 0;
  readonly targets = new Set<string>();
  private last: { counts: TableCounts; xmax: string } | undefined;

  private constructor(
    private readonly db: PrismaClient,
    private readonly counts: () => Promise<TableCounts>,
    private readonly bookkeeping: ReadonlySet<string>,
  ) {}

  /**
   * `bookkeeping` names tables a refusal is meant to write: the throttle's counters and the
   * doctor's heartbeats (e.g. "a forged signature was refused") record the refusal itself.
   */
  static async on(db: PrismaClient, bookkeeping: string[]): Promise<HostileTraffic> {
    return new HostileTraffic(db, await tableCounter(db), new Set(bookkeeping));
  }

  /** Takes the counts afresh, after a test wrote its fixtures. */
  async settle(): Promise<void> {
    this.last = { xmax: await nextTransactionId(this.db), counts: await this.counts() };
  }

  private async written(): Promise<string[]> {
    const xmax = await nextTransactionId(this.db);
    if (this.last?.xmax === xmax) return [];
    const before = this.last?.counts ?? (await this.counts());
    this.last = { xmax, counts: await this.counts() };
    return changedTables(before, this.last.counts).filter(
      (change) => !this.bookkeeping.has(change.split(":")[0] ?? ""),
    );
  }

  /** One request to a route handler, checked against the property. */
  async send(route: string, call: () => Promise<Response>): Promise<Answer> {
    this.requests += 1;
    this.targets.add(route);
    let response: Response;
    try {
      response = await call();
    } catch (error) {
      this.status5xx += 1;
      throw new Error(`${route} threw instead of answering: ${String(error)}`);
    }
    const text = await response.text();
    const body: unknown = (() => {
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    })();
    const written = await this.written();
    const { status } = response;
    const accepted = status >= 200 && status < 300;
    if (status >= 500) this.status5xx += 1;
    if (!accepted && written.length > 0) this.rowsWrittenByRefusals += 1;
    const about = `${route} answered ${status} ${text.slice(0, 300)}`;
    expect(accepted || (status >= 400 && status < 500), about).toBe(true);
    if (!accepted) {
      expect(errorShape.safeParse(body).success, `${about}: not the error shape`).toBe(true);
      expect(written, `${about}: a refusal wrote rows`).toEqual([]);
    }
    return { status, body, written };
  }

  /** One call of a server action, checked the same way with the action's own notion of refused. */
  async act(action: string, run: () => Promise<unknown>): Promise<ActionOutcome> {
    this.requests += 1;
    this.targets.add(action);
    const outcome = await settleAction(run);
    const written = await this.written();
    if (outcome.kind === "crashed") this.status5xx += 1;
    if (outcome.kind === "refused" && written.length > 0) this.rowsWrittenByRefusals += 1;
    expect(outcome.kind, `${action} crashed: ${outcome.detail}`).not.toBe("crashed");
    if (outcome.kind === "refused") expect(written, `${action} refused (${outcome.detail}) but wrote rows`).toEqual([]);
    return outcome;
  }
}
