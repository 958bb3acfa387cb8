import { beforeEach, describe, expect, it } from "vitest";
import { IDLE, type ActionState } from "@/lib/admin/action-state";
import { createUser, resetDatabase, testDb } from "@/test/db";
import { signedInAs } from "@/test/route-harness";
import {
  resyncChannelAction,
  retryKeyProvisioningAction,
  retryMessagingWebhookAction,
  rotateKeyAction,
} from "./actions";
import { decideClientBindingAction } from "../clients/actions";
import { retryWebhookEventAction } from "../events/actions";
import { retryJobAction } from "../jobs/actions";

beforeEach(async () => {
  await resetDatabase();
  signedInAs.mockReset();
});

const ACTIONS: Array<[string, (state: ActionState, formData: FormData) => Promise<ActionState>]> = [
  ["rotate key", rotateKeyAction],
  ["retry key", retryKeyProvisioningAction],
  ["set messaging webhook", retryMessagingWebhookAction],
  ["re-sync", resyncChannelAction],
  ["decide binding", decideClientBindingAction],
  ["retry event", retryWebhookEventAction],
  ["retry job", retryJobAction],
];

describe("console actions", () => {
  it.each(ACTIONS)("%s answers a client user with a 404 and does nothing", async (_name, action) => {
    const user = await createUser("client@example.com");
    signedInAs.mockResolvedValue({ id: user.id, email: user.email, name: null, role: "CLIENT" });
    const form = new FormData();
    for (const [name, value] of Object.entries({
      channelId: "c",
      clientId: "c",
      decision: "approve",
      eventId: "e",
      jobId: "1",
      confirm: "yes",
    })) {
      form.set(name, value);
    }
    await expect(action(IDLE, form)).rejects.toMatchObject({ digest: expect.stringContaining("404") });
    expect(await testDb().auditLog.count()).toBe(0);
  });

  it("shows an admin the refusal's own message, not an error page", async () => {
    const admin = await createUser("admin@example.com", "ADMIN");
    signedInAs.mockResolvedValue({ id: admin.id, email: admin.email, name: null, role: "ADMIN" });
    const form = new FormData();
    form.set("jobId", "424242");
    expect(await retryJobAction(IDLE, form)).toEqual({
      status: "error",
      message: "This job is gone: it has succeeded or was removed.",
    });
  });

  it("refuses a rotation sent without its confirmation", async () => {
    const admin = await createUser("admin@example.com", "ADMIN");
    signedInAs.mockResolvedValue({ id: admin.id, email: admin.email, name: null, role: "ADMIN" });
    const form = new FormData();
    form.set("channelId", "some-channel");
    expect(await rotateKeyAction(IDLE, form)).toEqual({
      status: "error",
      message: expect.stringContaining("Confirm the rotation first."),
    });
    expect(await testDb().auditLog.count()).toBe(0);
  });
});
