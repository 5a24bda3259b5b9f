// Bundles the CLI with esbuild. Code splitting keeps `runbook --version` small: commands, the Kubernetes client,
// gRPC and ink are loaded with dynamic import() only by the commands that need them.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// Hashed chunk names change with every build: start from an empty folder so stale chunks do not pile up.
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });

await build({
  entryPoints: { cli: 'src/cli.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  jsx: 'automatic',
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  define: { RUNBOOK_VERSION: JSON.stringify(pkg.version) },
  // Some CommonJS dependencies call require() on Node built-ins; give the ESM bundle a real require.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  // ink optionally imports react-devtools-core only when DEV is set.
  external: ['react-devtools-core'],
});
