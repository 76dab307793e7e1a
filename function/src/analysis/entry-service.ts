// Which of the repository's own compose services is "the app" whose image, port and start command
// describe the system: the entry service (docker.ts appService), except that a static front-end —
// an image whose final stage is a stock web server serving the front-end's build (`FROM nginx` +
// `COPY --from=build /app/dist /usr/share/nginx/html`, or Node's `serve -s build`) — runs none of the repository's code. When
// another own service does (the API beside it), that one is the app (eval/RUBRIC.md: the port the
// app listens on, the command that starts it).
import type { RepoSnapshot } from '../types.js';
import { appService, imageName, lastStageText, parseDockerfile, type ComposeFacts, type ComposeService } from './docker.js';
import { fromImages, pulledImageBuild, WEB_SERVER_IMAGE } from './services.js';

/**
 * A compose service whose image (built here, or pulled and built from a Dockerfile here) ends in a stock web server.
 * A `target:` stage may be any stage of the file, not its last: it is the front-end's own only when the web server
 * serves what that stage builds (the development stage running the dev server, a build stage FROM it whose output the
 * final `FROM nginx` stage copies in): compose runs the front-end in its development form.
 */
export function servesStaticFiles(snapshot: RepoSnapshot, s: ComposeService): boolean {
  const path = s.built ? s.dockerfile : pulledImageBuild(snapshot, s)?.path;
  const text = path === undefined ? undefined : snapshot.files.get(path);
  if (path === undefined || text === undefined) return false;
  // Parsed once: each test below reads the same image.
  const image = parseDockerfile(path, text);
  if (s.built && previewsBuild(snapshot, s, image.command?.value)) return true;
  if (s.target === undefined && servesWithNpmServe(text, image.command?.value)) return true;
  const last = fromImages(text).at(-1);
  if (last === undefined || !WEB_SERVER_IMAGE.test(imageName(last))) return false;
  return s.target === undefined || (image.pulledStages ?? []).includes(s.target.toLowerCase());
}

/** The npm static file server `serve` installed globally (`npm install -g serve`, `yarn global add serve`); not `serve-static` or `serve-handler`. */
const INSTALLS_SERVE = /\b(?:(?:npm|pnpm|bun)\s+(?:install|i|add)\s+(?:-g|--global)|yarn\s+global\s+add)\s+serve(?![\w-])/;
/** A command serving a folder with `serve` as a single-page app: `serve -s build`, `npx serve -s dist`. */
const SERVE_COMMAND = /(?:^|[\s;&|"'])(?:npx\s+(?:-y\s+|--yes\s+)?)?serve\s+(?:-s|--single)(?:\s|$)/;
/** A command running Node code itself (`node build/index.js`, `pm2-runtime`): whatever else the image installs, it runs a server of the repository. */
const RUNS_NODE = /(?:^|[\s;&|"'/])(?:node|pm2|pm2-runtime)\s/;

/**
 * An image that serves the front-end's build with the `serve` package: its command runs `serve -s`, or its last stage installs `serve`
 * globally and its command (often a script that writes the API address into the build, then execs serve) runs no Node code of its own.
 */
function servesWithNpmServe(text: string, command: string | undefined): boolean {
  if (command !== undefined && SERVE_COMMAND.test(command)) return true;
  return INSTALLS_SERVE.test(lastStageText(text)) && !(command !== undefined && RUNS_NODE.test(command));
}

/** Vite's preview server: it serves the files `vite build` wrote, as nginx would. */
const VITE_PREVIEW = /(?:^|[\s;&|])vite\s+preview\b/;
/** A package script run by name (`yarn preview`, `npm run preview`, `pnpm preview`): group 1 is the script. */
const RUN_SCRIPT = /(?:^|[\s;&|"'])(?:yarn|npm\s+run|pnpm(?:\s+run)?|bun\s+run)\s+([\w:-]+)/;

/**
 * An image (built from the compose service's context) whose command serves the front-end's build with Vite's preview
 * server, directly or through a package script of that context (`yarn preview` and `"preview": "vite preview"`): a static front-end.
 */
function previewsBuild(snapshot: RepoSnapshot, s: ComposeService, command: string | undefined): boolean {
  if (command === undefined) return false;
  if (VITE_PREVIEW.test(command)) return true;
  const script = RUN_SCRIPT.exec(command)?.[1];
  const manifest = snapshot.files.get(s.context ? `${s.context}/package.json` : 'package.json');
  if (script === undefined || manifest === undefined) return false;
  try {
    const scripts = (JSON.parse(manifest) as { scripts?: Record<string, unknown> }).scripts;
    const body = scripts?.[script];
    return typeof body === 'string' && VITE_PREVIEW.test(body);
  } catch {
    return false;
  }
}

/**
 * The predicate naming the app's own services to pick the entry from: the own services that run code
 * when there are any besides static front-ends, else all of them (a static site is its own app).
 */
export function codeServices(snapshot: RepoSnapshot, compose: ComposeFacts | undefined, own: (s: ComposeService) => boolean): (s: ComposeService) => boolean {
  const runsCode = (s: ComposeService) => own(s) && !servesStaticFiles(snapshot, s);
  return appService(compose, runsCode) ? runsCode : own;
}
