import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

/**
 * Every endpoint the app exposes, read from the tree the way Next's router reads it: route handlers
 * (`app/**\/route.ts`), pages (`app/**\/page.tsx`) and the exports of `"use server"` modules (each
 * one is a POST endpoint Next mints an id for). The matrix asserts each has a row, so an endpoint
 * added later without one fails the proof instead of going unchecked.
 */
export type EndpointKind = "route" | "page" | "action";
export type Endpoint = { kind: EndpointKind; id: string };

const ROOT = path.resolve(__dirname, "../../..");
const SOURCE = /\.(ts|tsx)$/;
const USE_SERVER = /^(?:\s|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*["']use server["']/;
const EXPORTED_NAME = /^export\s+(?:async\s+)?(?:function\*?|const|let)\s+([A-Za-z_$][\w$]*)/gm;

function filesUnder(directory: string): string[] {
  return readdirSync(path.join(ROOT, directory), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(directory, entry.name);
    if (entry.isDirectory())
      return entry.name === "node_modules" || entry.name === "generated" ? [] : filesUnder(relative);
    return SOURCE.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [relative] : [];
  });
}

/** `app/admin/setup/actions.ts#setPartnerUrlsAction` names one action. */
export function actionId(file: string, exportName: string): string {
  return `${file}#${exportName}`;
}

export function absolutePath(file: string): string {
  return path.join(ROOT, file);
}

export function discoverEndpoints(): Endpoint[] {
  const appFiles = filesUnder("app");
  const routes = appFiles.filter((file) => path.posix.basename(file) === "route.ts");
  const pages = appFiles.filter((file) => path.posix.basename(file) === "page.tsx");
  const serverFiles = [...appFiles, ...filesUnder("lib"), ...filesUnder("components")]
    .map((file) => ({ file, source: readFileSync(path.join(ROOT, file), "utf8") }))
    .filter(({ source }) => source.includes("use server"));
  const actions = serverFiles.flatMap(({ file, source }) =>
    USE_SERVER.test(source)
      ? [...source.matchAll(EXPORTED_NAME)].map((match) => actionId(file, match[1]!))
      : // An inline "use server" inside a function is an endpoint this reading cannot name: it
        // surfaces as one the matrix has no row for.
        [actionId(file, "inline")],
  );
  return [
    ...routes.map((id) => ({ kind: "route" as const, id })),
    ...pages.map((id) => ({ kind: "page" as const, id })),
    ...actions.map((id) => ({ kind: "action" as const, id })),
  ];
}
