import { beforeEach, describe, expect, it } from "vitest";
import { resetDatabase, testDb } from "@/test/db";
import { allowMagicLink, MAGIC_LINK_EMAIL_LIMIT, MAGIC_LINK_IP_LIMIT } from "./throttle-magic-link";

beforeEach(resetDatabase);

async function ask(times: number, email: (i: number) => string, ip: (i: number) => string, now = new Date()) {
  const answers: boolean[] = [];
  for (let i = 0; i < times; i++) answers.push(await allowMagicLink(testDb(), email(i), ip(i), now));
  return answers;
}

describe("allowMagicLink", () => {
  it("mails one address at most the limit per window, whatever the spelling or the network", async () => {
    const spellings = ["victim@example.com", "Victim@Example.com", " victim@example.com "];
    const answers = await ask(
      MAGIC_LINK_EMAIL_LIMIT.limit + 1,
      (i) => spellings[i % 3]!,
      (i) => `198.51.100.${i}`,
    );
    expect(answers).toEqual([...Array(MAGIC_LINK_EMAIL_LIMIT.limit).fill(true), false]);
    const later = new Date(Date.now() + MAGIC_LINK_EMAIL_LIMIT.windowMs + 1000);
    expect(await allowMagicLink(testDb(), "victim@example.com", "198.51.100.200", later)).toBe(true);
  });

  it("lets one network ask for at most the limit of links across addresses", async () => {
    const answers = await ask(
      MAGIC_LINK_IP_LIMIT.limit + 1,
      (i) => `user${i}@example.com`,
      () => "203.0.113.5",
    );
    expect(answers).toEqual([...Array(MAGIC_LINK_IP_LIMIT.limit).fill(true), false]);
    expect(await allowMagicLink(testDb(), "someone@example.com", "203.0.113.6")).toBe(true);
  });
});
