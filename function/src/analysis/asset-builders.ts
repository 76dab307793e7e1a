// Compose services that only build a front-end's assets for a server written in another language: a
// node container running `npm run watch` or `yarn build` into the shared code folder that a Django, Rails
// or PHP service serves, or a node image that built them at image build and only hands them over. They
// produce files, not a runtime service (eval/RUBRIC.md "services").
import type { RepoSnapshot } from '../types.js';
import { parseDockerfile, runtimeOfImage, type ComposeService } from './docker.js';

/**
 * A package script or bundler run that builds or rebuilds assets (`npm run build`, `yarn watch:css`, `vite build`, gulp),
 * or a task-runner script's task named for one (`./run yarn:build:js`).
 */
const ASSET_BUILD = /(?:^|[\s;&|"'])(?:(?:npm|pnpm|yarn|bun)(?:\s+(?:run\s+)?|:)(?:build|watch)(?:[:-][\w:-]+)?(?=$|[\s;&|"'])|vite\s+build\b|gulp\b|grunt\b)/;
/**
 * Something that serves (`npm run build && npm start`, `vite preview`, `node server.js`, pm2, http-server), or a watcher that
 * restarts the app on every change (`dotnet watch`, `watchexec -r -- cargo run`): a development server, not an asset watcher.
 */
const SERVES = /(?:^|[\s;&|"'])(?:(?:npm|pnpm|yarn|bun)\s+(?:run\s+)?(?:start|serve|preview|dev)\b|dotnet\s+watch\b|watchexec\b|(?:node|nodemon|pm2|pm2-runtime|next|nuxt|http-server|serve|deno)\s|vite(?:\s+(?:preview|dev|serve))?\s*$)/m;
/**
 * Asset tooling of a server-side app, by command: a bundler or stylesheet compiler run directly (`bin/webpack`,
 * `npx webpack --watch`, webpack-dev-server, shakapacker, esbuild, tailwindcss, sass), an asset task of the framework's
 * task runner (`bin/rails tailwindcss:watch`, `dartsass:watch`, `assets:precompile`, `manage.py tailwind start`), or a
 * make target that watches the stylesheets or scripts (`make watch-scss`).
 */
const ASSET_TOOL = new RegExp(
  [
    String.raw`(?:^|[\s;&|"'/])(?:webpack|webpack-dev-server|shakapacker|shakapacker-dev-server|esbuild|rollup|parcel|tailwindcss|sass|postcss)(?=$|[\s;&|"'])`,
    String.raw`(?:^|[\s;&|"'])(?:tailwindcss|dartsass|sass|css|javascript|js|assets?):(?:watch|build|precompile)\b`,
    String.raw`\btailwind\s+(?:start|build)\b`,
    String.raw`\bmake\s+(?:watch[-_:](?:css|scss|sass|js|assets|static|styles)|(?:css|scss|sass|js|assets|static|styles)[-_:]watch)\b`,
  ].join('|'),
);

/**
 * A file watcher run directly rather than through a package script (`manage.py tailwind watch`, `sass --watch`,
 * `./tailwindcss -i … --watch`): it rebuilds files while a developer edits.
 */
const FILE_WATCHER = /^(?!(?:npm|pnpm|yarn|bun|npx)\b)\S.*\s(?:--watch\b|watch\s*$)/;

/**
 * A command that only builds or rebuilds front-end assets, once or on every change, and starts nothing that serves the
 * app (`yarn build --watch`, `bin/rails tailwindcss:watch`, `bin/webpack`, `manage.py tailwind watch`): a build step or a
 * development watcher, whether a Procfile process type or a compose service runs it. The one home of "an asset
 * watcher is not a service" (eval/RUBRIC.md services).
 */
export const buildsAssetsOnly = (command: string): boolean => (ASSET_BUILD.test(command) || ASSET_TOOL.test(command) || FILE_WATCHER.test(command)) && !SERVES.test(command);

/** A package manager running a script by name (`npm run watch`, `yarn build`): in a Node app's own image that script may be the app. */
const PACKAGE_SCRIPT = /^(?:npm|pnpm|yarn|bun)\b/;

/**
 * A compose service whose own command only builds or watches front-end assets and that publishes no port
 * (`bin/rails dartsass:watch`, `yarn build --watch` from a Ruby image, `manage.py tailwind watch`): a developer's
 * watcher beside the app, judged by the Procfile's test (buildsAssetsOnly). A package script run by name in a Node.js
 * image is left to assetBuilder: in a Node app's own image `npm run watch` may be the app.
 */
export function assetWatcher(snapshot: RepoSnapshot, s: ComposeService): boolean {
  const command = s.command?.value;
  if (command === undefined || s.containerPorts.length > 0 || !buildsAssetsOnly(command)) return false;
  return !(PACKAGE_SCRIPT.test(command) && nodeImage(snapshot, s).node);
}

/** `RUN npm run build` in a Dockerfile: the image builds its assets while it is built. */
const RUN_ASSET_BUILD = new RegExp(`^\\s*RUN\\b.*${ASSET_BUILD.source}`, 'im');
/** A command that runs a script by path (`./entrypoint.sh`, `bash build.sh`, `"/docker/setup-db.sh"`): group 1 is its file name. */
export const SCRIPT = /(?:^|[\s"'])(?:\S*\/)?([\w.-]+\.sh)\b/;

/** The text of the repository script a command runs, looked up by name in the service's build context. */
function scriptText(snapshot: RepoSnapshot, s: ComposeService, command: string): string | undefined {
  const name = SCRIPT.exec(command)?.[1];
  if (name === undefined) return undefined;
  const context = s.context ? `${s.context}/` : '';
  const path = [...snapshot.files.keys()].find((p) => p.startsWith(context) && (p === `${context}${name}` || p.endsWith(`/${name}`)));
  return path === undefined ? undefined : snapshot.files.get(path);
}

interface NodeImage {
  node: boolean;
  command?: string;
  /** The image runs an asset build while it is built. */
  buildsAssets: boolean;
}

/**
 * Whether the service's image is a Node.js one (the stage its `build.target` names starts from node; with no
 * target, every stage of its Dockerfile is node), what it runs (compose's command, else the image's), and whether it builds assets.
 */
function nodeImage(snapshot: RepoSnapshot, s: ComposeService): NodeImage {
  const text = s.dockerfile === undefined ? undefined : snapshot.files.get(s.dockerfile);
  if (s.dockerfile === undefined || text === undefined) return { node: false, buildsAssets: false };
  const facts = parseDockerfile(s.dockerfile, text, s.target);
  // One Dockerfile with an assets target and an app target (a node stage, then python stages): compose builds only the named one.
  const node = facts.targetBase
    ? runtimeOfImage(facts.targetBase.value)?.language === 'node'
    : facts.images.length > 0 && facts.images.every((i) => runtimeOfImage(i.value)?.language === 'node');
  const command = s.command?.value ?? facts.command?.value;
  return { node, buildsAssets: RUN_ASSET_BUILD.test(text), ...(command === undefined ? {} : { command }) };
}

/**
 * The command builds assets, or the image built them and the command (and the script it runs) starts nothing that serves,
 * or runs nothing at all (a compose service building only the Dockerfile's asset stage, `target: node-builder`).
 */
function onlyBuilds(snapshot: RepoSnapshot, s: ComposeService, image: NodeImage): boolean {
  const command = image.command;
  if (command === undefined) return image.buildsAssets;
  if (SERVES.test(command)) return false;
  if (ASSET_BUILD.test(command)) return true;
  const script = scriptText(snapshot, s, command);
  return image.buildsAssets && script !== undefined && !SERVES.test(script);
}

/**
 * A built service in a Node.js-only image that publishes no port and only builds front-end assets, beside
 * a service the repository builds on another runtime (the server that serves those assets). A Node app's
 * own services, and anything that publishes a port, are left alone.
 */
export function assetBuilder(snapshot: RepoSnapshot, s: ComposeService, services: readonly ComposeService[]): boolean {
  if (!s.built || s.containerPorts.length > 0) return false;
  const image = nodeImage(snapshot, s);
  if (!image.node || !onlyBuilds(snapshot, s, image)) return false;
  return services.some((o) => o !== s && o.built && o.dockerfile !== undefined && snapshot.files.has(o.dockerfile) && !nodeImage(snapshot, o).node);
}
