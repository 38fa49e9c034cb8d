import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  // Served by server/index.ts (custom server with socket.io and OCPP on the same port).
  poweredByHeader: false,
  // Native or WASM packages that must be loaded by Node at run time, not bundled.
  // pdfkit loads its font metrics with createRequire at run time; sharp is on Next's own list already.
  serverExternalPackages: ['@electric-sql/pglite', '@node-rs/argon2', 'postgres', 'pino', 'pdfkit'],
  experimental: {
    // forbidden() renders app/forbidden.tsx with HTTP 403 for a signed-in user without the role.
    authInterrupts: true,
    // A token CSV import sends the file's text to a server action (at most 1 MB of text, plus form overhead).
    serverActions: { bodySizeLimit: '2mb' },
  },
  typescript: {
    // `npm run typecheck` is the type gate (CI runs it before the build).
    ignoreBuildErrors: false,
  },
};

export default nextConfig;
