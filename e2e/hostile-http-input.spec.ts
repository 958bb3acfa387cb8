import { readFileSync } from "node:fs";
import fc from "fast-check";
import {
  hostileBody,
  hostileHeaderValue,
  hostileString,
  PROTOTYPE_KEYS,
} from "../test/proofs/support/fuzz-hostile-values";
import { APP_URL } from "./support/app";
import { queryDatabase } from "./support/database";
import { expect, test } from "./support/test";
import { signedIn, uniqueEmail } from "./support/sign-in";

/**
 * The parts of the portal the vitest proofs cannot reach, fuzzed over real HTTP against the
 * production build: every server action as React's wire format and the no-JavaScript form post
 * carry it (and as anything else), and Auth.js's own routes. Only the status is judged: never a
 * 5xx; and no request here may sign anyone in or write to the console's tables.
 */

// The same draw every run unless FUZZ_SEED asks for another (as test/proofs/fuzz-hostile-input.test.ts).
const SEED = Number(process.env.FUZZ_SEED ?? 15_003);
const ACTION_REQUESTS = 1_200;
const AUTH_REQUESTS = 1_200;
const PARALLEL = 6;

type Action = { id: string; name: string; page: string };

/** Every server action of the build, with a page it is served from (`next build`'s own manifest). */
function serverActions(): Action[] {
  const manifest = JSON.parse(readFileSync(".next/server/server-reference-manifest.json", "utf8")) as {
    node: Record<string, { exportedName?: string; workers: Record<string, unknown> }>;
  };
  return Object.entries(manifest.node).map(([id, entry]) => {
    const worker = Object.keys(entry.workers)[0]!;
    const page =
      worker
        .replace(/^app/, "")
        .replace(/\/\([^)]+\)/g, "")
        .replace(/\/page$/, "")
        .replace(/\[[^\]]+\]/g, "fuzz") || "/";
    return { id, name: entry.exportedName ?? id, page };
  });
}

// Form fields the actions read, and a few they do not.
const FIELDS = ["email", "callbackUrl", "jobId", "channelId", "eventId", "clientId", "decision", "confirm", "x"];
const fieldValue = fc.oneof(
  { weight: 3, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.constantFrom("yes", "approve", "reject", "/", "//evil.example", "a@example.com") },
);
const fields = fc.dictionary(fc.oneof(fc.constantFrom(...FIELDS), fc.constantFrom(...PROTOTYPE_KEYS)), fieldValue, {
  maxKeys: 4,
});
const roles = fc.constantFrom("anonymous", "client", "admin");
const origins = fc.constantFrom("same", "same", "same", "evil", "null", "none");

type Sent = { label: string; status: number; wireNoise?: boolean };

/** Sends `count` drawn requests, `PARALLEL` at a time; returns every answer's status. */
async function sendAll<T>(
  arbitrary: fc.Arbitrary<T>,
  count: number,
  send: (value: T) => Promise<Sent>,
): Promise<Sent[]> {
  const values = fc.sample(arbitrary, { numRuns: count, seed: SEED });
  const results: Sent[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      while (next < values.length) results.push(await send(values[next++]!));
    }),
  );
  return results;
}

function originHeader(kind: string): Record<string, string> {
  if (kind === "none") return {};
  return { origin: kind === "same" ? APP_URL : kind === "evil" ? "https://evil.example" : "null" };
}

type RowCounts = Record<"audit" | "sessions" | "users" | "clients" | "channels" | "api_keys" | "jobs", number>;

async function sqlCounts(): Promise<RowCounts> {
  const [counts] = await queryDatabase<RowCounts>(`SELECT
    (SELECT count(*)::int FROM "AuditLog") AS audit, (SELECT count(*)::int FROM "Session") AS sessions,
    (SELECT count(*)::int FROM "User") AS users, (SELECT count(*)::int FROM "Client") AS clients,
    (SELECT count(*)::int FROM "Channel") AS channels, (SELECT count(*)::int FROM "ApiKey") AS api_keys,
    (SELECT count(*)::int FROM graphile_worker._private_jobs) AS jobs`);
  return counts!;
}

/** Rows added or removed across the counted tables, sessions aside (counted on their own). */
function rowsWritten(before: RowCounts, after: RowCounts): number {
  return (Object.keys(before) as Array<keyof RowCounts>)
    .filter((table) => table !== "sessions")
    .reduce((sum, table) => sum + Math.abs(after[table] - before[table]), 0);
}

/** The fuzz sends many magic-link requests from 127.0.0.1; the specs after it sign in from there too. */
async function forgetRateLimits(): Promise<void> {
  await queryDatabase(`DELETE FROM "RateLimit"`);
}

test.afterAll(forgetRateLimits);

test("server actions and Auth.js routes over HTTP: hostile requests never get a 5xx, and sign no one in", async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const started = Date.now();
  const actions = serverActions();
  expect(actions.map((action) => action.name)).toEqual(
    expect.arrayContaining(["requestMagicLink", "continueWithGitHub", "signOutAction", "setPartnerUrlsAction"]),
  );
  const admin = await signedIn(browser, "admin@example.com", "/admin/clients");
  const client = await signedIn(browser, uniqueEmail("http-fuzz"), "/channels");
  const sessionCookie = async (context: typeof admin.context) => {
    const cookie = (await context.cookies()).find((c) => c.name === "authjs.session-token");
    return `authjs.session-token=${cookie!.value}`;
  };
  const cookies: Record<string, string> = {
    anonymous: "",
    client: await sessionCookie(client.context),
    admin: await sessionCookie(admin.context),
  };
  const before = await sqlCounts();

  // A positive control: the paths and encodings below do reach an action (a magic link is mailed).
  const magicLink = actions.find((action) => action.name === "requestMagicLink")!;
  const control = new FormData();
  control.set(`$ACTION_ID_${magicLink.id}`, "");
  control.set("email", uniqueEmail("http-fuzz-control"));
  const reached = await fetch(`${APP_URL}${magicLink.page}`, {
    method: "POST",
    headers: { origin: APP_URL },
    body: control,
    redirect: "manual",
  });
  expect([reached.status, reached.headers.get("location")]).toEqual([303, "/login/check-email"]);

  const actionCalls = fc
    .record({
      action: fc.constantFrom(...actions),
      // Only the client and anonymous: an admin's valid call may rightly write (and is tested in specs).
      role: fc.constantFrom("anonymous", "client"),
      origin: origins,
      encoding: fc.constantFrom("form-post", "react-form", "react-args", "react-args", "wire-noise"),
      fields,
      args: fc.array(fc.oneof(fields, hostileString, fc.double(), fc.constant(null)), { maxLength: 3 }),
      noise: hostileBody,
      actionId: fc.oneof({ weight: 5, arbitrary: fc.constant("real") }, { weight: 1, arbitrary: hostileHeaderValue }),
    })
    // Signing the fuzzing client out would only turn the rest of its calls anonymous.
    .filter((call) => !(call.role === "client" && call.action.name === "signOutAction"));
  const actionAnswers = await sendAll(actionCalls, ACTION_REQUESTS, async (call) => {
    const id = call.actionId === "real" ? call.action.id : call.actionId;
    const headers: Record<string, string> = { ...originHeader(call.origin) };
    if (cookies[call.role]) headers.cookie = cookies[call.role]!;
    let body: BodyInit;
    if (call.encoding === "form-post") {
      // The no-JavaScript form post: the action's id travels as a field name.
      const form = new FormData();
      form.set(`$ACTION_ID_${id}`, "");
      for (const [name, value] of Object.entries(call.fields)) form.append(name, value);
      body = form;
    } else if (call.encoding === "react-form") {
      // React's encoding of a FormData argument: fields prefixed with the argument's slot.
      const form = new FormData();
      for (const [name, value] of Object.entries(call.fields)) form.append(`1_${name}`, value);
      form.set("0", JSON.stringify(["$K1"]));
      body = form;
      headers["next-action"] = id;
    } else if (call.encoding === "react-args") {
      // Any arguments as React's client encodes them: a JSON array, a string's leading "$" doubled.
      body = JSON.stringify(call.args, (_key, value: unknown) =>
        typeof value === "string" && value.startsWith("$") ? `$${value}` : value,
      );
      headers["next-action"] = id;
      headers["content-type"] = "text/plain;charset=UTF-8";
    } else {
      // Bytes React's client never sends: decoded (and refused, with a 500) by Next before any portal code.
      body = call.noise as BodyInit;
      headers["next-action"] = id;
      headers["content-type"] = "text/plain;charset=UTF-8";
    }
    const response = await fetch(`${APP_URL}${call.action.page}`, {
      method: "POST",
      headers,
      body,
      redirect: "manual",
    });
    await response.arrayBuffer();
    if (call.origin === "evil" || call.origin === "null") {
      // 403 from the proxy, or 431 when the drawn action id makes the headers too large to read.
      expect([403, 431], `${call.action.name} from ${call.origin}`).toContain(response.status);
    }
    return {
      label: `${call.action.name} ${call.encoding} ${call.role} ${call.origin}`,
      status: response.status,
      wireNoise: call.encoding === "wire-noise",
    };
  });

  const csrf = await fetch(`${APP_URL}/api/auth/csrf`);
  const csrfCookie = (csrf.headers.get("set-cookie") ?? "").split(";")[0]!;
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const authCalls = fc
    .record({
      path: fc.oneof(
        {
          weight: 5,
          arbitrary: fc.constantFrom(
            "providers",
            "session",
            "csrf",
            "signin",
            "signin/nodemailer",
            "signin/github",
            "signout",
            "callback/nodemailer",
            "callback/github",
            "verify-request",
            "error",
            "webauthn-options/passkey",
          ),
        },
        {
          weight: 1,
          arbitrary: hostileString.map((segment) => encodeURIComponent(segment.replace(/[\uD800-\uDFFF]/g, "\uFFFD"))),
        },
      ),
      method: fc.constantFrom("GET", "GET", "POST", "POST", "PUT", "DELETE"),
      query: fc.dictionary(
        fc.constantFrom("token", "email", "callbackUrl", "error", "code", "state", ...PROTOTYPE_KEYS),
        hostileString,
        { maxKeys: 3 },
      ),
      form: fc.dictionary(fc.constantFrom("email", "callbackUrl", "csrfToken", "redirect", "json"), fieldValue, {
        maxKeys: 4,
      }),
      csrf: fc.constantFrom("valid", "valid", "missing", "wrong"),
      role: roles,
      cookieNoise: fc.option(hostileHeaderValue, { nil: undefined }),
      contentType: fc.constantFrom("application/x-www-form-urlencoded", "application/json", "text/plain", ""),
      origin: origins,
    })
    // A real sign-out (session cookie and valid CSRF token) rightly ends the session; the rest need it.
    .filter(
      (call) =>
        !(call.path === "signout" && call.method === "POST" && call.role !== "anonymous" && call.csrf === "valid"),
    );
  const authAnswers = await sendAll(authCalls, AUTH_REQUESTS, async (call) => {
    const form = new URLSearchParams(call.form);
    if (call.csrf === "valid") form.set("csrfToken", csrfToken);
    if (call.csrf === "wrong") form.set("csrfToken", "0".repeat(64));
    const cookieParts = [cookies[call.role], call.csrf === "missing" ? "" : csrfCookie, call.cookieNoise ?? ""];
    const headers: Record<string, string> = { ...originHeader(call.origin) };
    const cookie = cookieParts.filter(Boolean).join("; ");
    if (cookie) headers.cookie = cookie;
    if (call.contentType) headers["content-type"] = call.contentType;
    const query = new URLSearchParams(call.query).toString();
    const url = `${APP_URL}/api/auth/${call.path}${query ? `?${query}` : ""}`;
    const hasBody = call.method !== "GET";
    const response = await fetch(url, {
      method: call.method,
      headers,
      body: hasBody ? form.toString() : undefined,
      redirect: "manual",
    });
    const text = await response.text();
    return {
      label: `${call.method} /api/auth/${call.path} ${response.status >= 500 ? text.slice(0, 100) : ""}`,
      status: response.status,
    };
  });

  const after = await sqlCounts();
  const all = [...actionAnswers, ...authAnswers];
  const failures = all.filter((answer) => answer.status >= 500 && !answer.wireNoise);
  const wireNoise = actionAnswers.filter((answer) => answer.wireNoise);
  const byClass = (answers: Sent[]) =>
    ["2", "3", "4", "5"].map((first) => `${first}xx=${answers.filter((a) => String(a.status)[0] === first).length}`);
  console.log(
    `PROOF hostile http: requests=${all.length}, server_actions=${actions.length}, action_requests=${actionAnswers.length} ` +
      `(${byClass(actionAnswers).join(" ")}), auth_requests=${authAnswers.length} (${byClass(authAnswers).join(" ")}), ` +
      `status_5xx=${failures.length}, wire_noise=${wireNoise.length} (5xx from Next's decoder=${wireNoise.filter((a) => a.status >= 500).length}), sessions_created=${after.sessions - before.sessions}, ` +
      `rows_written_by_refusals=${rowsWritten(before, after)}, ` +
      `seconds=${Math.round((Date.now() - started) / 1000)}`,
  );
  const failureKinds = [...new Set(failures.map((failure) => `${failure.status} ${failure.label}`))];
  expect(failureKinds.slice(0, 40)).toEqual([]);
  // Nobody was signed in, no account made, and no console action of a non-admin took effect.
  expect(after).toEqual(before);
  await admin.context.close();
  await client.context.close();
});
