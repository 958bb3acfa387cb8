import fc from "fast-check";

export const PROTOTYPE_KEYS = ["__proto__", "constructor", "prototype"] as const;

/** Strings that break naive code: NUL, lone surrogates, bidi overrides, injection bait, sizes around limits. */
const NASTY_STRINGS = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\uD800",
  "\uDFFF",
  "x\uDBFFy",
  "\u202E\u200F\u061C",
  "\uFEFF",
  "\u0085\u2028\u2029",
  "Ω≈ç√∫˜µ≤≥÷",
  "👩‍👩‍👧‍👦🏳️‍🌈",
  "' OR 1=1 --",
  '"; DROP TABLE "User"; --',
  "${process.env.AUTH_SECRET}",
  "{{constructor.constructor('return process')()}}",
  "<script>alert(1)</script>",
  "../../../../etc/passwd",
  "%00%0d%0a",
  "\r\nX-Injected: 1",
  "null",
  "undefined",
  "NaN",
  "-1",
  "1e309",
  "0x7fffffff",
  ...PROTOTYPE_KEYS,
  "x".repeat(16),
  "x".repeat(64),
  "x".repeat(65),
  "x".repeat(129),
  "x".repeat(1025),
  "x".repeat(70_000),
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,130}$/) },
);

/** Numbers as JSON text, including what JSON cannot carry: overflow to Infinity, NaN, huge integers. */
export const hostileNumberText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("1e999", "-1e999", "NaN", "Infinity", "-0", "5e-324", "1.7976931348623157e308"),
  fc.constantFrom("9007199254740993", "123456789012345678901234567890", "0.1e-999999", "1" + "0".repeat(400)),
  fc.double().map((value) => (Number.isFinite(value) ? JSON.stringify(value) : String(value))),
  fc.integer().map(String),
);

const jsonKeyText = fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), hostileString).map((key) => JSON.stringify(key));

/** Nesting far beyond anything real; JSON.parse copes, recursive code (JSON.stringify, say) may not. */
const deepNestingText = fc.oneof(
  fc.integer({ min: 64, max: 200_000 }).map((depth) => "[".repeat(depth) + "]".repeat(depth)),
  fc.integer({ min: 64, max: 50_000 }).map((depth) => '{"a":'.repeat(depth) + "1" + "}".repeat(depth)),
);

/** Arbitrary JSON text (and near-JSON: NaN, 1e999, duplicate and prototype keys), up to a few levels deep. */
export const hostileJsonText: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    hostileString.map((text) => JSON.stringify(text)),
    hostileNumberText,
    fc.constantFrom("true", "false", "null"),
    fc.array(tie("value"), { maxLength: 5 }).map((items) => `[${items.join(",")}]`),
    fc
      .array(fc.tuple(jsonKeyText, tie("value")), { maxLength: 5 })
      .map((pairs) => `{${pairs.map(([key, value]) => `${key}:${value}`).join(",")}}`),
  ),
})).value;

/** Any body at all: JSON-ish text, nesting bombs, raw bytes (invalid UTF-8 included), nothing. */
export const hostileBody: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  { weight: 5, arbitrary: hostileJsonText },
  { weight: 1, arbitrary: deepNestingText },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }) },
  { weight: 1, arbitrary: fc.constantFrom("", "{", "[", '{"a":', "\u0000", "null", "[]", "{}", "a=1&b=2") },
);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = Array<string | number>;

const SENTINEL = "@@fuzz-sentinel@@";

function pathsOf(value: Json, prefix: Path = []): Path[] {
  if (value === null || typeof value !== "object") return [prefix];
  const children = Array.isArray(value)
    ? value.flatMap((item, index) => pathsOf(item, [...prefix, index]))
    : Object.entries(value).flatMap(([key, item]) => pathsOf(item, [...prefix, key]));
  return [prefix, ...children];
}

function valueAt(root: Json, path: Path): Json {
  return path.reduce<Json>((node, step) => (node as Record<string | number, Json>)[step] ?? null, root);
}

/** `root` as JSON text with the value at `path` swapped for raw `replacement` text (or removed). */
function withRawAt(root: Json, path: Path, replacement: string | null): string {
  if (path.length === 0) return replacement ?? "";
  const copy = structuredClone(root);
  const parent = valueAt(copy, path.slice(0, -1)) as Record<string | number, Json>;
  const last = path.at(-1) as string | number;
  if (replacement === null) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
    return JSON.stringify(copy);
  }
  parent[last] = SENTINEL;
  return JSON.stringify(copy).replace(JSON.stringify(SENTINEL), () => replacement);
}

/** `root` with one extra member (raw key and value text) in the object at `path`. */
function withExtraMember(root: Json, path: Path, keyText: string, valueText: string): string {
  const copy = structuredClone(root);
  const target = valueAt(copy, path);
  if (target === null || typeof target !== "object" || Array.isArray(target)) return JSON.stringify(copy);
  target[SENTINEL] = SENTINEL;
  return JSON.stringify(copy).replace(`"${SENTINEL}":"${SENTINEL}"`, () => `${keyText}:${valueText}`);
}

/** Small, plausible changes to one value: what a sloppy client or a curious attacker tries first. */
function tweaks(value: Json): fc.Arbitrary<string> {
  if (typeof value === "string") {
    return fc.oneof(
      fc.constantFrom(value.toUpperCase(), ` ${value} `, value.slice(1), value + value, `${value}\u0000`),
      hostileString.map((suffix) => JSON.stringify(value + suffix)),
      fc.constantFrom(JSON.stringify([value]), JSON.stringify({ value }), JSON.stringify(Number(value) || 0)),
    );
  }
  if (typeof value === "number") {
    return fc.constantFrom(String(value + 1), String(-value), `${value}e999`, JSON.stringify(String(value)), "null");
  }
  return hostileJsonText;
}

/**
 * A valid body changed in exactly one place: one value replaced, tweaked or removed, one member
 * (a prototype key, say) added, or the text itself cut or padded. Reaches far deeper than noise.
 */
export function mutatedJson(valid: Json): fc.Arbitrary<string> {
  const paths = pathsOf(valid);
  const onePath = fc.constantFrom(...paths);
  const text = JSON.stringify(valid);
  return fc.oneof(
    { weight: 4, arbitrary: onePath.chain((path) => hostileJsonText.map((raw) => withRawAt(valid, path, raw))) },
    {
      weight: 4,
      arbitrary: onePath.chain((path) => tweaks(valueAt(valid, path)).map((raw) => withRawAt(valid, path, raw))),
    },
    { weight: 2, arbitrary: onePath.map((path) => withRawAt(valid, path, null)) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(onePath, jsonKeyText, hostileJsonText)
        .map(([path, key, value]) => withExtraMember(valid, path, key, value)),
    },
    { weight: 1, arbitrary: fc.nat({ max: text.length }).map((cut) => text.slice(0, cut)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(" ".repeat(256 * 1024) + text, `${text}${text}`, `\uFEFF${text}`, `[${text}]`),
    },
  );
}

/** A header value as the wire delivers it: UTF-8 bytes read as Latin-1, control characters dropped. */
export const hostileHeaderValue: fc.Arbitrary<string> = hostileString.map((value) =>
  Buffer.from(value, "utf8")
    .toString("latin1")
    // Exactly the characters HTTP cannot carry in a header value.
    .replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, "")
    .trim(),
);

export const contentTypes = fc.constantFrom(
  "application/json",
  "application/json; charset=utf-8",
  "application/json; charset=utf-16",
  "APPLICATION/JSON",
  "application/jsonx",
  "application/json\t;",
  "text/plain",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "",
);

export const methods = fc.constantFrom("POST", "PUT", "PATCH", "DELETE", "OPTIONS");
