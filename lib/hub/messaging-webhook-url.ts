// No server-only: the configuration parser checks MESSAGING_WEBHOOK_URL with the same rules.

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

export function isLoopbackUrl(url: URL): boolean {
  return LOOPBACK_HOSTS.has(url.hostname);
}

/**
 * Why 360dialog would refuse `value` as a messaging webhook URL, or null. The Hub refuses hosts
 * with an underscore and URLs with an explicit port. A loopback URL is allowed only for the local
 * sandbox (`hubIsLocal`): a local portal always listens on a port, and the real Hub cannot reach it.
 */
export function messagingWebhookUrlProblem(value: string, { hubIsLocal }: { hubIsLocal: boolean }): string | null {
  if (!URL.canParse(value)) return "is not a URL";
  const url = new URL(value);
  if (url.protocol !== "https:" && url.protocol !== "http:") return "must be an https URL";
  if (url.hostname.includes("_")) return "360dialog refuses webhook hosts with an underscore";
  if (isLoopbackUrl(url)) {
    return hubIsLocal ? null : "360dialog cannot reach a loopback address: use a public https URL";
  }
  if (url.port !== "") return "360dialog refuses webhook URLs with a port: serve it on 443";
  if (url.protocol !== "https:") return "must be an https URL";
  return null;
}

/**
 * Why the portal will not send a channel's key to `address`, or null. The address comes from the
 * Hub's answer to a key creation; the key goes with every call to it, so anything but 360dialog's
 * own https hosts is refused (any host for the local sandbox, which answers its own origin).
 */
export function messagingAddressProblem(address: string, { hubIsLocal }: { hubIsLocal: boolean }): string | null {
  if (!URL.canParse(address)) return "is not a URL";
  const url = new URL(address);
  if (hubIsLocal) return url.protocol === "http:" || url.protocol === "https:" ? null : "must be an http(s) URL";
  const ours = url.hostname === "360dialog.io" || url.hostname.endsWith(".360dialog.io");
  return url.protocol === "https:" && ours && url.port === "" ? null : "is not a 360dialog https address";
}
