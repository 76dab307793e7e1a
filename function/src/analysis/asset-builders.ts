// Compose services that only build a front-end's assets for a server written in another language: a
// node container running `npm run watch` or `yarn build` into the shared code folder that a Django, Rails
// or PHP service serves. They produce files, not a runtime service (eval/RUBRIC.md "services").
import type { RepoSnapshot } from '../types.js';
import { parseDockerfile, runtimeOfImage, type ComposeService } from './docker.js';

/** A package script or bundler run that builds or rebuilds assets (`npm run build`, `yarn watch:css`, `vite build`, gulp). */
const ASSET_BUILD = /(?:^|[\s;&|"'])(?:(?:npm|pnpm|yarn|bun)\s+(?:run\s+)?(?:build|watch)(?:[:-][\w:-]+)?(?=$|[\s;&|"'])|vite\s+build\b|gulp\b|grunt\b)/;
/** A command that also starts something that serves (`npm run build && npm start`, `vite preview`, `node server.js`). */
const SERVES = /(?:^|[\s;&|"'])(?:(?:npm|pnpm|yarn|bun)\s+(?:run\s+)?(?:start|serve|preview|dev)\b|node\s|vite\s+preview\b|serve\s)/;

/** Whether every stage of the service's Dockerfile is a Node.js image, and the command it runs (compose's, else the image's). */
function nodeImage(snapshot: RepoSnapshot, s: ComposeService): { node: boolean; command?: string } {
  const text = s.dockerfile === undefined ? undefined : snapshot.files.get(s.dockerfile);
  if (s.dockerfile === undefined || text === undefined) return { node: false };
  const facts = parseDockerfile(s.dockerfile, text);
  const node = facts.images.length > 0 && facts.images.every((i) => runtimeOfImage(i.value)?.language === 'node');
  return { node, command: s.command?.value ?? facts.command?.value };
}

/**
 * A built service that runs a front-end asset build or watcher in a Node.js-only image, publishes no
 * port, and sits beside a service the repository builds on another runtime (the server that serves
 * those assets). A Node app's own services, and anything that publishes a port, are left alone.
 */
export function assetBuilder(snapshot: RepoSnapshot, s: ComposeService, services: readonly ComposeService[]): boolean {
  if (!s.built || s.containerPorts.length > 0) return false;
  const own = nodeImage(snapshot, s);
  if (!own.node || own.command === undefined || !ASSET_BUILD.test(own.command) || SERVES.test(own.command)) return false;
  return services.some((o) => o !== s && o.built && o.dockerfile !== undefined && snapshot.files.has(o.dockerfile) && !nodeImage(snapshot, o).node);
}
