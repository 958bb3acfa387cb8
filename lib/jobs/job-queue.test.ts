import { describe, expect, it, vi } from "vitest";
import { drainJobsAfterResponse } from "./job-queue";
import { runDueJobs } from "./run-jobs";

vi.mock("./run-jobs", () => ({ runDueJobs: vi.fn() }));

describe("drainJobsAfterResponse", () => {
  it("runs one drain (three workers) at a time, plus one more pass for whatever was queued while it ran", async () => {
    let finishFirst!: () => void;
    vi.mocked(runDueJobs)
      .mockImplementationOnce(() => new Promise<void>((resolve) => (finishFirst = resolve)))
      .mockResolvedValue(undefined);
    const first = drainJobsAfterResponse();
    // A burst of responses while the first drain runs: one more pass covers them all.
    const burst = Array.from({ length: 20 }, () => drainJobsAfterResponse());
    await vi.waitFor(() => expect(runDueJobs).toHaveBeenCalledTimes(3));
    finishFirst();
    await Promise.all([first, ...burst]);
    expect(runDueJobs).toHaveBeenCalledTimes(6);
    // Idle again: the next response starts a drain of its own.
    await drainJobsAfterResponse();
    expect(runDueJobs).toHaveBeenCalledTimes(9);
  });
});
