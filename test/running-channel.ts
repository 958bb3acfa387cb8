import type { RunningSandbox } from "@/sandbox/server";
import { control, onboard } from "@/sandbox/test/helpers";
import { createUser, testDb } from "./db";

/**
 * A client onboarded at the sandbox and stored here as bound (or not), its channel running at
 * both ends: where the key pipeline starts.
 */
export async function runningChannel(
  sandbox: RunningSandbox,
  options: { bound?: boolean; billing?: "direct_paid"; permission?: boolean; email?: string } = {},
) {
  const email = options.email ?? "owner@example.com";
  const redirect = await onboard(sandbox, {
    email,
    ...(options.billing ? { billing: options.billing } : {}),
    ...(options.permission ? { permission: true } : {}),
  });
  const hubId = redirect.channels[0]!;
  await control(sandbox, "POST", `/channels/${hubId}/status`, { status: "running" });
  const user = await createUser(email);
  const client = await testDb().client.create({
    data: {
      hubId: redirect.client,
      userId: user.id,
      bindingState: options.bound === false ? "AWAITING_APPROVAL" : "BOUND",
    },
  });
  const channel = await testDb().channel.create({ data: { hubId, clientId: client.id, status: "RUNNING" } });
  return { channel, client: redirect.client, user };
}
