import http from "node:http";

export type FirstLoad = { page: string; scripts: number; gzipBytes: number };

/** The bytes of one response as they travel (gzip asked for, not decoded), with its status. */
function transferred(url: string, headers: Record<string, string>): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { "accept-encoding": "gzip", ...headers } }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks) }));
      response.on("error", reject);
    });
    request.on("error", reject);
  });
}

/**
 * The JavaScript a first visit to `page` downloads in a current browser: every script the
 * server-rendered HTML names (but the `noModule` polyfills), fetched as a browser would (gzip),
 * summed as transferred.
 */
export async function firstLoadJs(baseUrl: string, page: string, cookie: string): Promise<FirstLoad> {
  const html = await fetch(`${baseUrl}${page}`, { headers: { cookie }, redirect: "manual" });
  if (html.status !== 200) throw new Error(`${page} answered ${html.status}; the bench's session was not accepted`);
  const text = await html.text();
  // `noModule` scripts are the legacy browsers' polyfills: a browser that runs modules skips them.
  const tags = [...text.matchAll(/<script[^>]*>/g)].map((match) => match[0]).filter((tag) => !/nomodule/i.test(tag));
  const sources = [
    ...new Set(tags.map((tag) => /\ssrc="([^"]+\.js[^"]*)"/.exec(tag)?.[1]).filter((src): src is string => !!src)),
  ];
  let gzipBytes = 0;
  for (const source of sources) {
    const script = await transferred(new URL(source, baseUrl).href, {});
    if (script.status !== 200) throw new Error(`${source} answered ${script.status}`);
    gzipBytes += script.body.length;
  }
  return { page, scripts: sources.length, gzipBytes };
}
