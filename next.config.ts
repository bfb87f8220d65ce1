import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // The test suite builds into its own folder so that it never replaces the build a running
  // `npm start` is serving.
  distDir: process.env.KEYWARD_DIST_DIR || ".next",
  // better-sqlite3 is a native addon: load it from node_modules at run time, never bundle it.
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "pg", "@prisma/adapter-pg"],
};

export default nextConfig;
