import { Hono } from "hono";
import type { SandboxContext } from "../context";
import { esc, layout } from "../html";

function table(headings: string[], rows: string[][]): string {
  if (rows.length === 0) return '<p class="muted">None yet.</p>';
  return `<table><thead><tr>${headings.map((h) => `<th>${esc(h)}</th>`).join("")}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((cell) => `<td>${cell}</td>`).join("")}</tr>`)
    .join("")}</tbody></table>`;
}

/** A page for people: what the sandbox saw and sent, newest first. Cells are escaped here. */
export function homePage(ctx: SandboxContext): Hono {
  const app = new Hono();
  app.get("/", (c) => {
    const s = ctx.store.state;
    const clients = new Map(s.clients.map((cl) => [cl.id, cl]));
    const settings = table(
      ["Setting", "Value"],
      [
        ["Partner id", `<code>${esc(ctx.config.partnerId)}</code>`],
        ["Redirect URL", esc(s.partner.partnerRedirectUrl)],
        ["Webhook URL", esc(s.partner.webhookUrl || "(none)")],
        ["IO signature", ctx.config.ioSignatureRequired ? "required" : "not required"],
        ["Webhook gap / timeout", `${ctx.config.webhookDelayMs} ms / ${ctx.config.webhookTimeoutMs} ms`],
        ["Lifecycle stops at", esc(ctx.config.lifecycleUntil)],
        ["api_keys shape", esc(ctx.config.apiKeysShape)],
      ],
    );
    const clientRows = [...s.clients]
      .reverse()
      .map((cl) => [
        `<code>${esc(cl.id)}</code>`,
        esc(cl.name),
        esc(cl.email),
        esc(cl.billing) +
          (cl.billing === "direct_paid" ? (cl.apiKeyPermission ? " (key permission)" : " (no key permission)") : ""),
        esc(cl.createdAt),
      ]);
    const channelRows = [...s.channels]
      .reverse()
      .map((ch) => [
        `<code>${esc(ch.id)}</code>`,
        `<code>${esc(ch.clientId)}</code> ${esc(clients.get(ch.clientId)?.name ?? "")}`,
        esc(ch.phoneNumber),
        esc(ch.status),
        esc(ch.currentLimit),
        String(s.apiKeyCreations[ch.id] ?? 0),
        esc(s.messagingWebhooks[ch.id]?.url ?? "(none)") +
          ` <a class="muted" href="/__sandbox/channels/${esc(encodeURIComponent(ch.id))}/messaging">messaging</a>`,
      ]);
    const deliveryRows = [...s.deliveries]
      .reverse()
      .slice(0, 100)
      .map((d) => [
        esc(d.createdAt),
        esc(d.event),
        `<code>${esc(d.eventId)}</code>`,
        esc(d.state) + (d.faults.length ? ` <span class="muted">[${esc(d.faults.join(", "))}]</span>` : ""),
        d.attempts.map((a) => esc(a.status ?? a.error ?? "?") + (a.forcedFailure ? " (forced)" : "")).join(" → "),
      ]);
    const checkRows = [...s.signatureChecks]
      .reverse()
      .slice(0, 50)
      .map((x) => [esc(x.at), esc(x.outcome), `<code>${esc(x.reason)}</code>`, esc(x.timestamp ?? "")]);
    const mailRows = [...ctx.mail.messages]
      .reverse()
      .map((m) => [
        esc(m.receivedAt),
        esc(m.envelope.to.join(", ")),
        esc(m.subject),
        m.links.map((l) => `<a href="${esc(l)}">${esc(l.length > 60 ? `${l.slice(0, 60)}…` : l)}</a>`).join("<br>"),
      ]);
    return c.html(
      layout(
        "Hub sandbox",
        `<section class="card"><h1>Local Hub sandbox</h1>
          <p class="muted">Plays 360dialog for development and tests. JSON views: <a href="/__sandbox/state">state</a>,
          <a href="/__sandbox/mail">mail</a>. <a href="/__sandbox/sign-io">Sign an onboarding URL</a>.</p>
          ${settings}</section>
        <section class="card"><h2>Clients</h2>${table(["Id", "Name", "Email", "Billing", "Created"], clientRows)}</section>
        <section class="card"><h2>Channels</h2>${table(["Id", "Client", "Number", "Status", "Limit", "Keys created", "Messaging webhook"], channelRows)}</section>
        <section class="card"><h2>Webhook deliveries</h2>${table(["Created", "Event", "Event id", "State", "Attempts"], deliveryRows)}</section>
        <section class="card"><h2>IO signature checks</h2>${table(["At", "Outcome", "Reason", "Timestamp"], checkRows)}</section>
        <section class="card"><h2>Mail</h2>${table(["Received", "To", "Subject", "Links"], mailRows)}</section>`,
      ),
    );
  });
  return app;
}
