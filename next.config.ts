import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // pg and Prisma's adapter are Node libraries; bundling them breaks their optional requires.
  serverExternalPackages: ["pg", "@prisma/adapter-pg"],
};

export default nextConfig;
