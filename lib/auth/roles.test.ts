import { describe, expect, it } from "vitest";
import { effectiveRole, normalizeEmail, roleForEmail } from "./roles";

const admins = ["admin@example.com", "ops@example.org"];

describe("roleForEmail", () => {
  it("gives ADMIN to listed addresses, case- and whitespace-insensitively", () => {
    expect(roleForEmail("admin@example.com", admins)).toBe("ADMIN");
    expect(roleForEmail("  Ops@Example.ORG ", admins)).toBe("ADMIN");
  });

  it("gives CLIENT to everyone else", () => {
    expect(roleForEmail("client@example.com", admins)).toBe("CLIENT");
    expect(roleForEmail("admin@example.com.evil", admins)).toBe("CLIENT");
    expect(roleForEmail("xadmin@example.com", admins)).toBe("CLIENT");
    expect(roleForEmail(null, admins)).toBe("CLIENT");
    expect(roleForEmail("", admins)).toBe("CLIENT");
    expect(roleForEmail("admin@example.com", [])).toBe("CLIENT");
  });

  it("treats a fullwidth @ as the @ it normalizes to", () => {
    expect(normalizeEmail("admin＠example.com")).toBe("admin@example.com");
  });
});

describe("effectiveRole", () => {
  it("is ADMIN only while the stored role and ADMIN_EMAILS agree", () => {
    expect(effectiveRole("ADMIN", "admin@example.com", admins)).toBe("ADMIN");
    expect(effectiveRole("ADMIN", "removed@example.com", admins)).toBe("CLIENT");
    expect(effectiveRole("CLIENT", "admin@example.com", admins)).toBe("CLIENT");
    expect(effectiveRole("CLIENT", "client@example.com", admins)).toBe("CLIENT");
  });
});
