import { issueIoSignature } from "@/lib/onboarding/issue-io-signature";
import { PARTNER_ID } from "@/sandbox/test/helpers";
import { testDb } from "./db";

/**
 * A click on Connect at `at`, as the page makes it: the attempt's signature is issued, then
 * reported spent with the next request. Returns the clicked attempt's state.
 */
export async function clickConnect(userId: string, at = new Date()): Promise<string> {
  const signing = { db: testDb(), partnerId: PARTNER_ID, platformSecret: "x".repeat(16), now: () => at };
  const { state } = await issueIoSignature(userId, { clientIp: "203.0.113.9" }, signing);
  await issueIoSignature(userId, { clientIp: "203.0.113.9", spentState: state }, signing);
  return state;
}
