import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createPrismaClient } from "@/lib/db";
import { markEmailVerified, portalAdapter, syncRole } from "./adapter";

// Integration: runs on the migrated database test/global-setup.ts provides as DATABASE_URL.
const db = createPrismaClient(process.env.DATABASE_URL ?? "");
const admins = ["admin@auth-adapter.test"];
// GitHub is outside this machine: its answer about an address is stubbed.
const githubVerifies = vi.fn<(accessToken: string, email: string) => Promise<boolean>>(async () => false);
const adapter = portalAdapter(db, admins, githubVerifies);

async function reset() {
  await db.session.deleteMany({ where: { user: { email: { endsWith: "@auth-adapter.test" } } } });
  await db.account.deleteMany({ where: { user: { email: { endsWith: "@auth-adapter.test" } } } });
  await db.verificationToken.deleteMany({ where: { identifier: { endsWith: "@auth-adapter.test" } } });
  await db.user.deleteMany({ where: { email: { endsWith: "@auth-adapter.test" } } });
}

beforeEach(reset);
afterAll(async () => {
  await reset();
  await db.$disconnect();
});

describe("portalAdapter", () => {
  it("creates users with a lowercased email and the role ADMIN_EMAILS prescribes", async () => {
    const client = await adapter.createUser!({
      id: "ignored",
      email: "New.Client@Auth-Adapter.test",
      emailVerified: null,
    });
    const admin = await adapter.createUser!({
      id: "ignored",
      email: "Admin@Auth-Adapter.test",
      emailVerified: new Date(),
    });
    expect(client.email).toBe("new.client@auth-adapter.test");
    expect(await db.user.findUniqueOrThrow({ where: { id: client.id }, select: { role: true } })).toEqual({
      role: "CLIENT",
    });
    expect(await db.user.findUniqueOrThrow({ where: { id: admin.id }, select: { role: true } })).toEqual({
      role: "ADMIN",
    });
  });

  it("finds users by email case-insensitively", async () => {
    const created = await adapter.createUser!({ id: "x", email: "case@auth-adapter.test", emailVerified: null });
    expect((await adapter.getUserByEmail!("CASE@auth-adapter.TEST"))?.id).toBe(created.id);
  });

  it("links OAuth accounts without storing their tokens", async () => {
    const user = await adapter.createUser!({ id: "x", email: "gh@auth-adapter.test", emailVerified: null });
    await adapter.linkAccount!({
      userId: user.id,
      type: "oauth",
      provider: "github",
      providerAccountId: "12345",
      access_token: "gho_secret",
      refresh_token: "ghr_secret",
      token_type: "bearer",
      scope: "read:user,user:email",
      // GitHub Apps add fields the schema does not have; they must not break linking.
      refresh_token_expires_in: 15897600,
    } as Parameters<NonNullable<typeof adapter.linkAccount>>[0]);
    const account = await db.account.findUniqueOrThrow({
      where: { provider_providerAccountId: { provider: "github", providerAccountId: "12345" } },
    });
    expect(account).toMatchObject({
      userId: user.id,
      token_type: "bearer",
      scope: "read:user,user:email",
      access_token: null,
      refresh_token: null,
      id_token: null,
    });
    expect((await adapter.getUserByAccount!({ provider: "github", providerAccountId: "12345" }))?.id).toBe(user.id);
  });

  describe("linking a GitHub account", () => {
    const link = (userId: string, providerAccountId: string) =>
      adapter.linkAccount!({
        userId,
        type: "oauth",
        provider: "github",
        providerAccountId,
        access_token: "gho_token",
        token_type: "bearer",
      });
    const verifiedAt = async (id: string) =>
      (await db.user.findUniqueOrThrow({ where: { id }, select: { emailVerified: true } })).emailVerified;

    it("marks the user's address verified when GitHub confirms it as the verified primary one", async () => {
      githubVerifies.mockResolvedValueOnce(true);
      const user = await adapter.createUser!({ id: "x", email: "Dev@auth-adapter.test", emailVerified: null });
      await link(user.id, "gh-1");
      expect(githubVerifies).toHaveBeenCalledWith("gho_token", "dev@auth-adapter.test");
      expect(await verifiedAt(user.id)).toBeInstanceOf(Date);
    });

    it("leaves it unverified when GitHub does not confirm it", async () => {
      githubVerifies.mockResolvedValueOnce(false);
      const user = await adapter.createUser!({ id: "x", email: "unverified@auth-adapter.test", emailVerified: null });
      await link(user.id, "gh-2");
      expect(await verifiedAt(user.id)).toBeNull();
    });

    it("keeps an earlier verification date and does not ask GitHub again", async () => {
      const earlier = new Date("2026-01-02T03:04:05Z");
      const user = await adapter.createUser!({ id: "x", email: "known@auth-adapter.test", emailVerified: earlier });
      githubVerifies.mockClear();
      await link(user.id, "gh-3");
      expect(githubVerifies).not.toHaveBeenCalled();
      expect(await verifiedAt(user.id)).toEqual(earlier);
    });
  });

  it("never makes an admin of an address an OAuth provider reports unverified", async () => {
    const user = await adapter.createUser!({ id: "x", email: "Admin@Auth-Adapter.test", emailVerified: null });
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).role).toBe("CLIENT");
  });

  it("stores database sessions and returns the user with its role", async () => {
    const user = await adapter.createUser!({ id: "x", email: "admin@auth-adapter.test", emailVerified: new Date() });
    const expires = new Date(Date.now() + 3600_000);
    await adapter.createSession!({ sessionToken: "tok-1", userId: user.id, expires });
    const found = await adapter.getSessionAndUser!("tok-1");
    expect(found?.user).toMatchObject({ id: user.id, email: "admin@auth-adapter.test", role: "ADMIN" });
    await adapter.deleteSession!("tok-1");
    expect(await adapter.getSessionAndUser!("tok-1")).toBeNull();
  });

  it("uses a verification token once", async () => {
    const expires = new Date(Date.now() + 600_000);
    await adapter.createVerificationToken!({ identifier: "v@auth-adapter.test", token: "hashed", expires });
    expect(await adapter.useVerificationToken!({ identifier: "v@auth-adapter.test", token: "hashed" })).toMatchObject({
      identifier: "v@auth-adapter.test",
    });
    expect(await adapter.useVerificationToken!({ identifier: "v@auth-adapter.test", token: "hashed" })).toBeNull();
  });
});

describe("markEmailVerified", () => {
  it("sets emailVerified once and ignores unknown users", async () => {
    const user = await db.user.create({ data: { email: "mark@auth-adapter.test" } });
    await markEmailVerified(db, user.id);
    const first = (await db.user.findUniqueOrThrow({ where: { id: user.id } })).emailVerified;
    expect(first).toBeInstanceOf(Date);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await markEmailVerified(db, user.id);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).emailVerified).toEqual(first);
    await expect(markEmailVerified(db, "no-such-user")).resolves.toBeUndefined();
  });
});

describe("syncRole", () => {
  it("promotes and demotes existing users to match ADMIN_EMAILS", async () => {
    const user = await db.user.create({ data: { email: "promote@auth-adapter.test" } });
    await syncRole(db, "Promote@Auth-Adapter.test", ["promote@auth-adapter.test"]);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).role).toBe("ADMIN");
    await syncRole(db, "promote@auth-adapter.test", []);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).role).toBe("CLIENT");
  });

  it("does nothing for an unknown address", async () => {
    await expect(syncRole(db, "nobody@auth-adapter.test", admins)).resolves.toBeUndefined();
  });
});
