import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { importRouteWith } from "@/test/route-harness";
import { SECRET } from "@/sandbox/test/helpers";

type Handler = (request: Request) => Promise<Response>;

/** Every answer the portal gave, per event id of the Hub: what the proofs count. */
export type WebhookTally = {
  /** Event id → the status of each attempt, in the order they were answered. */
  byEvent: Map<string, number[]>;
  /** Bodies without an event id (none are expected from the sandbox). */
  unidentified: number;
};

export type TalliedWebhookEndpoint = { url: string; tally: WebhookTally; close(): Promise<void> };

// getDb() keeps one client per process on globalThis; pointing the route at another database needs a new one.
type WithPrisma = { prisma?: { $disconnect(): Promise<void> } };

/**
 * The real POST /api/webhooks/360dialog, configured with `databaseUrl` and the sandbox's platform
 * secret, behind a real HTTP server on a free port, so the sandbox delivers (and redelivers) to it
 * over the network. A handler that throws answers 500 and is counted like any other status.
 */
export async function serveTalliedWebhookRoute(databaseUrl: string): Promise<TalliedWebhookEndpoint> {
  await forgetDbClient();
  const { POST } = await importRouteWith(() => import("@/app/api/webhooks/360dialog/route"), {
    DATABASE_URL: databaseUrl,
    HUB_PLATFORM_SECRET: SECRET,
  });
  // Parse the configuration now: the harness restores the environment after the test.
  (await import("@/lib/env")).getEnv();
  const tally: WebhookTally = { byEvent: new Map(), unidentified: 0 };
  const server = createServer((incoming, outgoing) => {
    void answer(POST, incoming, tally)
      .then(async (response) => {
        outgoing.writeHead(response.status, Object.fromEntries(response.headers));
        outgoing.end(Buffer.from(await response.arrayBuffer()));
      })
      .catch(() => outgoing.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/webhooks/360dialog`,
    tally,
    close: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await forgetDbClient();
    },
  };
}

async function answer(handler: Handler, incoming: IncomingMessage, tally: WebhookTally): Promise<Response> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (typeof value === "string") headers.set(name, value);
  }
  const request = new Request("http://localhost/api/webhooks/360dialog", { method: "POST", headers, body });
  const response = await handler(request).catch(() => new Response(null, { status: 500 }));
  const eventId = eventIdOf(body);
  if (eventId === null) tally.unidentified += 1;
  else tally.byEvent.set(eventId, [...(tally.byEvent.get(eventId) ?? []), response.status]);
  return response;
}

function eventIdOf(body: Buffer): string | null {
  try {
    const parsed: unknown = JSON.parse(body.toString("utf8"));
    const id = typeof parsed === "object" && parsed !== null ? (parsed as { id?: unknown }).id : undefined;
    return typeof id === "string" ? id : null;
  } catch {
    return null;
  }
}

async function forgetDbClient(): Promise<void> {
  const holder = globalThis as WithPrisma;
  await holder.prisma?.$disconnect().catch(() => undefined);
  delete holder.prisma;
}
