import type { NextConfig } from "next";
import { PHASE_DEVELOPMENT_SERVER } from "next/constants";
import { devHostRedirects } from "./lib/config/dev-host-redirect";
import { localDefaults } from "./lib/config/local-defaults";

const baseConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Node libraries whose optional and dynamic requires break when bundled.
  serverExternalPackages: ["pg", "@prisma/adapter-pg", "graphile-worker"],
  // The setup doctor compares the shipped migrations with the database's; on Vercel only traced files exist.
  outputFileTracingIncludes: { "/admin/setup": ["./prisma/migrations/**/*"] },
};

export default function nextConfig(phase: string): NextConfig {
  if (phase !== PHASE_DEVELOPMENT_SERVER) return baseConfig;
  // Same fallback as lib/config/parse-env.ts, so `npm run dev` with no configuration gets it too.
  const appUrl = process.env.APP_URL?.trim() || localDefaults.APP_URL;
  return { ...baseConfig, redirects: async () => devHostRedirects(appUrl) };
}
