import { describe, expect, it } from "vitest";
import { describeAuthError, redactSecrets } from "./redact";

describe("redactSecrets", () => {
  it("hides token, email and callbackUrl query values", () => {
    const message =
      "Host must be trusted. URL was: https://x.example/api/auth/callback/nodemailer?callbackUrl=%2F&token=s3cr3t&email=a%40b.co";
    const redacted = redactSecrets(message);
    expect(redacted).not.toContain("s3cr3t");
    expect(redacted).not.toContain("a%40b.co");
    expect(redacted).toContain("token=[redacted]");
    expect(redacted).toContain("/api/auth/callback/nodemailer?");
  });

  it("hides OAuth codes and session tokens in structured text", () => {
    expect(redactSecrets("/callback/github?code=abc&state=def")).toBe(
      "/callback/github?code=[redacted]&state=[redacted]",
    );
    expect(redactSecrets('{"sessionToken":"9f0e","expires":"2030"}')).toBe(
      '{"sessionToken":[redacted],"expires":"2030"}',
    );
  });

  it("leaves ordinary messages alone", () => {
    expect(redactSecrets("Read more at https://errors.authjs.dev#verification")).toBe(
      "Read more at https://errors.authjs.dev#verification",
    );
  });
});

describe("describeAuthError", () => {
  it("names the Auth.js type and redacts the message and its cause", () => {
    const cause = new Error("connect ECONNREFUSED url=https://p.example/?token=zzz");
    const error = Object.assign(new Error("failed at https://p.example/cb?token=zzz"), {
      type: "EmailSignInError",
      cause: { err: cause },
    });
    const line = describeAuthError(error);
    expect(line).toContain("EmailSignInError");
    expect(line).toContain("cause Error: connect ECONNREFUSED");
    expect(line).not.toContain("zzz");
  });
});
