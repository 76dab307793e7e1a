// A meta-framework's function target (Next.js on Vercel/OpenNext, a SvelteKit adapter) is a way in only when
// the framework's build is what runs. An app that runs it inside a server of its own (a Next.js custom server
// mounting `app.getRequestHandler()` in Express, a SvelteKit app built with adapter-node into a Node server)
// deploys that server: no function target.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const nextApp = (extra: Record<string, string>, start: string) => snapshot({
  'package.json': JSON.stringify({ name: 'requests', scripts: { build: 'next build && tsc -p server', start }, dependencies: { next: '14.2.3', react: '18.2.0', express: '4.19.2', pg: '8.11.0' } }),
  'pages/index.tsx': 'export default function Home() { return null; }\n',
  ...extra,
});
const customServer = [
  "import express from 'express';",
  "import next from 'next';",
  '',
  "const app = next({ dev: process.env.NODE_ENV !== 'production' });",
  'const handle = app.getRequestHandler();',
  'app.prepare().then(() => {',
  '  const server = express();',
  "  server.all('*', (req, res) => handle(req, res));",
  '  server.listen(Number(process.env.PORT) || 5055);',
  '});',
  '',
].join('\n');

const svelteApp = (adapter: string) => snapshot({
  'package.json': JSON.stringify({ name: 'status', scripts: { build: 'vite build', start: 'node build' }, devDependencies: { '@sveltejs/kit': '2.5.0', [adapter]: '5.0.0', vite: '5.0.0' } }),
  'svelte.config.js': `import adapter from '${adapter}';\n\nexport default { kit: { adapter: adapter() } };\n`,
  'src/routes/+page.svelte': '<h1>up</h1>\n',
});

describe('a meta-framework run inside the app\'s own server', () => {
  it('a Next.js custom server is not a function target', () => {
    const a = analyzeRepository(nextApp({ 'server/index.ts': customServer }, 'NODE_ENV=production node dist/index.js'));
    // (Next stays the framework, as two of the three dev labels of this shape read it: overseerr and seerr; pangolin reads express.)
    expect(a.framework).toBe('nextjs');
    expect(a.serverlessAdapter).toBeUndefined();
  });

  it('a plain Next.js app keeps its function target', () => {
    expect(analyzeRepository(nextApp({}, 'next start')).serverlessAdapter?.name).toBe('Next.js function target');
  });

  it('SvelteKit built with adapter-node is a Node server; a platform adapter is a function target', () => {
    expect(analyzeRepository(svelteApp('@sveltejs/adapter-node')).serverlessAdapter).toBeUndefined();
    expect(analyzeRepository(svelteApp('@sveltejs/adapter-vercel')).serverlessAdapter?.name).toBe('SvelteKit adapter');
  });
});
