import { describe, expect, it } from "vitest";
import { verifyCronSecret } from "./verify-cron-secret";

const SECRET = "cron-secret-for-tests-0123456789";

describe("verifyCronSecret", () => {
  it("accepts the bearer secret", () => {
    expect(() => verifyCronSecret(`Bearer ${SECRET}`, SECRET)).not.toThrow();
  });

  it.each([null, "", "Bearer ", `Bearer ${SECRET}x`, SECRET, `Basic ${SECRET}`, `bearer${SECRET}`])(
    "refuses %j with 401",
    (header) => {
      expect(() => verifyCronSecret(header, SECRET)).toThrow(expect.objectContaining({ status: 401 }));
    },
  );
});
