import { Hono, type Context } from "hono";
import type { SandboxContext } from "../context";
import { errorPage, esc, layout } from "../html";
import { newSessionId } from "../ids";
import { checkIoSignature, type IoRefusal } from "../io-signature";
import {
  activeChannelsOf,
  applyChoice,
  findClientByEmail,
  redirectUrlFor,
  reserveNumbers,
  validateChoice,
  type OnboardingChoice,
} from "../onboarding";
import type { IoSession, SignatureCheck } from "../state";
import { isSameHttpOrigin } from "../urls";

type Status = 400 | 403 | 404;

const REFUSALS: Record<IoRefusal | "unknown_partner", { status: Status; title: string; detail: string }> = {
  unknown_partner: { status: 404, title: "Unknown partner", detail: "No partner with this id exists in the Hub." },
  missing_signature: {
    status: 400,
    title: "IO signature missing",
    detail: "This partner requires io_signature and io_timestamp.",
  },
  malformed_signature: {
    status: 400,
    title: "IO signature malformed",
    detail: "io_signature must be 128 lowercase hex characters and io_timestamp UNIX seconds.",
  },
  wrong_signature: {
    status: 403,
    title: "IO signature invalid",
    detail: "The signature does not match this partner id and timestamp under the platform secret.",
  },
  expired_signature: {
    status: 403,
    title: "IO signature expired",
    detail: "The signature is older than the allowed age; request a fresh one.",
  },
  timestamp_in_future: {
    status: 403,
    title: "IO timestamp in the future",
    detail: "io_timestamp lies in the future; check the server clock.",
  },
  signature_already_used: {
    status: 403,
    title: "IO signature already used",
    detail: "Each signature starts one onboarding only; request a fresh one per attempt.",
  },
};

const SESSIONS_KEPT = 200;

function q(c: Context, name: string): string | null {
  const value = c.req.query(name);
  return value === undefined || value === "" ? null : value;
}

/**
 * Integrated Onboarding as the Connect Button opens it (`env="local"`, v1 → this path).
 * A signature is consumed when the page is opened: the GET that accepts it records it as used,
 * so reloading the popup or replaying the URL is refused, and the form carries a session id instead.
 */
export function onboardingPages(ctx: SandboxContext): Hono {
  const app = new Hono();
  const paths = ["/dashboard/app/:partnerId", "/dashboard/app/:partnerId/permissions"];

  const record = (check: Omit<SignatureCheck, "at">): void => {
    ctx.store.state.signatureChecks.push({ at: new Date().toISOString(), ...check });
    ctx.store.changed();
  };

  for (const path of paths) {
    app.get(path, (c) => {
      const partnerId = c.req.param("partnerId") ?? "";
      const signature = q(c, "io_signature");
      const timestamp = q(c, "io_timestamp");
      const base = { partnerId, timestamp, signaturePrefix: signature ? signature.slice(0, 16) : null };
      if (partnerId !== ctx.config.partnerId) {
        record({ ...base, outcome: "refused", reason: "unknown_partner", sessionId: null });
        return refuse(c, "unknown_partner");
      }
      const sessionId = newSessionId();
      if (ctx.config.ioSignatureRequired) {
        const nowSeconds = Math.floor(Date.now() / 1000);
        const maxAgeSeconds = ctx.config.signatureMaxAgeSeconds;
        const result = checkIoSignature({
          secret: ctx.config.platformSecret,
          partnerId,
          signature: signature ?? undefined,
          timestamp: timestamp ?? undefined,
          nowSeconds,
          maxAgeSeconds,
          isUsed: (s) => ctx.store.isSignatureUsed(s),
        });
        if (!result.ok) {
          record({ ...base, outcome: "refused", reason: result.reason, sessionId: null });
          return refuse(c, result.reason);
        }
        // A valid signature comes with both values, checked above.
        ctx.store.rememberSignature(
          { signature: signature ?? "", timestamp: Number(timestamp) },
          nowSeconds,
          maxAgeSeconds,
        );
        record({ ...base, outcome: "accepted", reason: "valid", sessionId });
      }
      const session = openSession(ctx, c, partnerId, sessionId);
      return c.html(renderForm(ctx, session, null));
    });

    app.post(path, async (c) => {
      const partnerId = c.req.param("partnerId") ?? "";
      const form = await readForm(c);
      if (!form) {
        return c.html(
          errorPage(
            "Form could not be read",
            "bad_form",
            "The submitted form body is malformed; submit the onboarding page again.",
          ),
          400,
        );
      }
      const field = (name: string): string => {
        const value = form[name];
        const first = Array.isArray(value) ? value[0] : value;
        return typeof first === "string" ? first : "";
      };
      const list = (name: string): string[] => {
        const value = form[name];
        const all = Array.isArray(value) ? value : value === undefined ? [] : [value];
        return all.filter((v): v is string => typeof v === "string" && v !== "");
      };
      const session = ctx.store.state.sessions.find((s) => s.id === field("session") && s.partnerId === partnerId);
      if (!session) {
        return c.html(
          errorPage(
            "Onboarding session unknown",
            "unknown_session",
            "Open the onboarding from the partner's Connect button again.",
          ),
          400,
        );
      }
      if (session.completedAt && session.resultUrl) return redirect(session.resultUrl);
      const choice: OnboardingChoice = {
        email: field("email").trim(),
        name: field("name").trim(),
        numbers: [...new Set(list("numbers"))],
        revoke: [...new Set(list("revoke"))],
        billing: field("billing") === "direct_paid" ? "direct_paid" : "partner_paid",
        apiKeyPermission: field("billing") !== "direct_paid" || field("api_key_permission") === "on",
      };
      const problems = validateChoice(ctx, session, choice);
      if (problems.length > 0) {
        session.email = choice.email;
        session.name = choice.name;
        return c.html(renderForm(ctx, session, problems), 400);
      }
      const result = applyChoice(ctx, session, choice);
      session.completedAt = new Date().toISOString();
      session.resultUrl = redirectUrlFor(session, result);
      ctx.store.changed();
      return redirect(session.resultUrl);
    });
  }
  return app;
}

type FormBody = Record<string, string | File | (string | File)[]>;

/** null when the body cannot be parsed (e.g. broken multipart), which is the sender's mistake, not ours. */
async function readForm(c: Context): Promise<FormBody | null> {
  try {
    return await c.req.parseBody({ all: true });
  } catch {
    return null;
  }
}

function refuse(c: Context, reason: IoRefusal | "unknown_partner"): Response {
  const { status, title, detail } = REFUSALS[reason];
  return c.html(errorPage(title, reason, detail), status);
}

// Built by hand: the Location keeps literal brackets, exactly as redirectUrlFor wrote it.
function redirect(location: string): Response {
  return new Response(null, { status: 302, headers: { Location: location } });
}

function openSession(ctx: SandboxContext, c: Context, partnerId: string, id: string): IoSession {
  const configured = ctx.store.state.partner.partnerRedirectUrl;
  const requested = q(c, "redirect_url");
  // The Connect Button does not encode `number`, so a leading "+" arrives as a space.
  const rawNumber = q(c, "number")?.replace(/\s+/g, "") ?? null;
  const requestedNumber = rawNumber ? (rawNumber.startsWith("+") ? rawNumber : `+${rawNumber}`) : null;
  const taken = new Set(ctx.store.state.channels.map((ch) => ch.phoneNumber));
  const offered =
    requestedNumber && /^\+[0-9]{6,15}$/.test(requestedNumber) && !taken.has(requestedNumber) ? [requestedNumber] : [];
  const session: IoSession = {
    id,
    partnerId,
    createdAt: new Date().toISOString(),
    email: q(c, "email") ?? "",
    name: q(c, "name") ?? "",
    state: q(c, "state"),
    redirectUrl: requested && isSameHttpOrigin(requested, configured) ? requested : configured,
    offeredNumbers: [...offered, ...reserveNumbers(ctx, 3 - offered.length)],
    completedAt: null,
    resultUrl: null,
  };
  const sessions = ctx.store.state.sessions;
  sessions.push(session);
  if (sessions.length > SESSIONS_KEPT) sessions.splice(0, sessions.length - SESSIONS_KEPT);
  ctx.store.changed();
  return session;
}

function renderForm(ctx: SandboxContext, session: IoSession, problems: string[] | null): string {
  const client = session.email ? findClientByEmail(ctx, session.partnerId, session.email) : undefined;
  const revocable = client ? activeChannelsOf(ctx, client.id) : [];
  const alert = problems
    ? `<div class="card error" role="alert"><ul>${problems.map((p) => `<li>${esc(p)}</li>`).join("")}</ul></div>`
    : "";
  const numbers = session.offeredNumbers
    .map(
      (n, i) =>
        `<label><input type="checkbox" name="numbers" value="${esc(n)}"${i === 0 ? " checked" : ""}> ${esc(n)}</label>`,
    )
    .join("");
  const revokeBlock = client
    ? `<fieldset><legend>Numbers to revoke</legend>
        <p class="muted">Welcome back, ${esc(client.name)}. Revoking removes the partner's access to a number.</p>
        ${revocable.map((ch) => `<label><input type="checkbox" name="revoke" value="${esc(ch.id)}"> Revoke ${esc(ch.phoneNumber)} (${esc(ch.id)})</label>`).join("") || '<p class="muted">No active numbers.</p>'}
      </fieldset>`
    : "";
  return layout(
    "Connect your WhatsApp Business number",
    `${alert}<section class="card">
      <h1>Connect your WhatsApp Business number</h1>
      <p class="muted">Partner <code>${esc(session.partnerId)}</code> asks for access to your WhatsApp Business API numbers.</p>
      <form method="post" action="/dashboard/app/${esc(encodeURIComponent(session.partnerId))}">
        <input type="hidden" name="session" value="${esc(session.id)}">
        <label for="email">Email address<input id="email" type="email" name="email" required value="${esc(session.email)}" autocomplete="email"></label>
        <label for="name">Client name<input id="name" type="text" name="name" required value="${esc(session.name || client?.name || "")}" autocomplete="organization"></label>
        <fieldset><legend>Phone numbers to connect</legend><p class="muted">Pick one to three.</p>${numbers}</fieldset>
        ${revokeBlock}
        <fieldset><legend>Billing</legend>
          <label><input type="radio" name="billing" value="partner_paid" checked> Partner-paid</label>
          <label><input type="radio" name="billing" value="direct_paid"> Direct-paid</label>
          <label><input type="checkbox" name="api_key_permission"> Grant API-key permission to the partner</label>
          <p class="muted">The permission matters for direct-paid clients only; partner-paid clients always allow it.</p>
        </fieldset>
        <button type="submit">Connect numbers</button>
      </form>
    </section>`,
  );
}
