import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll } from "vitest";

type Handler = (request: Request) => Promise<Response>;

/**
 * A route handler behind a real HTTP server on a free port, for a sandbox that must call the
 * portal back (status webhooks, a doctor's round-trip). `load` runs once the server starts, so
 * the route can be imported under the test's configuration.
 */
export function serveRoutePerFile(path: string, load: () => Promise<Handler>): () => string {
  let url = "";
  let close: () => Promise<void> = async () => undefined;
  beforeAll(async () => {
    const handler = await load();
    const server = createServer((incoming, outgoing) => {
      void toRequest(incoming, path)
        .then(handler)
        .then(async (response) => {
          outgoing.writeHead(response.status, Object.fromEntries(response.headers));
          outgoing.end(Buffer.from(await response.arrayBuffer()));
        })
        .catch(() => {
          outgoing.writeHead(500).end();
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://localhost:${(server.address() as AddressInfo).port}${path}`;
    close = () => new Promise((resolve) => server.close(() => resolve()));
  });
  afterAll(() => close());
  return () => url;
}

async function toRequest(incoming: IncomingMessage, path: string): Promise<Request> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (typeof value === "string") headers.set(name, value);
  }
  const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
  return new Request(`http://localhost${path}`, { method: incoming.method, headers, body });
}
