/** Escapes text and attribute values; every interpolation in the pages goes through it. */
export function esc(value: unknown): string {
  return String(value)
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

const STYLE = `
  :root { color-scheme: light; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
  body { margin: 0; background: #f4f6f8; color: #1b2733; }
  header { background: #0b3d5c; color: #fff; padding: 12px 24px; font-weight: 600; }
  main { max-width: 960px; margin: 24px auto; padding: 0 16px; }
  .card { background: #fff; border: 1px solid #dbe2e8; border-radius: 8px; padding: 20px 24px; margin-bottom: 16px; }
  h1 { font-size: 1.4rem; margin: 0 0 12px; } h2 { font-size: 1.1rem; margin: 20px 0 8px; }
  label { display: block; margin: 6px 0; } fieldset { border: 1px solid #dbe2e8; border-radius: 6px; margin: 12px 0; padding: 8px 16px; }
  input[type=text], input[type=email] { width: 100%; max-width: 420px; padding: 6px 8px; font: inherit; display: block; margin-top: 4px; }
  button { background: #0b7a5c; color: #fff; border: 0; border-radius: 6px; padding: 10px 18px; font: inherit; cursor: pointer; }
  .error { border-left: 4px solid #c0392b; } .muted { color: #5b6b78; font-size: .9rem; }
  table { border-collapse: collapse; width: 100%; font-size: .85rem; } th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid #e6ebef; vertical-align: top; }
  code { background: #eef2f5; padding: 1px 4px; border-radius: 3px; }
`;

export function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><style>${STYLE}</style></head>
<body><header>360dialog Hub · local sandbox</header><main>${body}</main></body></html>`;
}

/** The reason is machine-readable twice (data attribute and <code>) so tests need no text matching. */
export function errorPage(title: string, reason: string, detail: string): string {
  return layout(
    title,
    `<section class="card error" role="alert" data-error-reason="${esc(reason)}">
      <h1>${esc(title)}</h1><p>${esc(detail)}</p><p class="muted">Reason: <code id="error-reason">${esc(reason)}</code></p>
    </section>`,
  );
}
