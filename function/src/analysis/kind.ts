// What kind of deployable the repository holds, from the strongest signal down.
import type { AppKind, Evidence } from '../types.js';
import { ev } from './evidence.js';

export interface KindSignals {
  framework: string | null;
  /** Dockerfile EXPOSE, a Procfile `web:` process or a PHP front controller: something serves HTTP. */
  servesHttp?: string;
  backgroundJobs: readonly string[];
  /** Where a start command is declared (Dockerfile, Procfile, start script, Go main). */
  entrypoint?: string;
  language: string | null;
  /** The language's only manifest is development tooling (a package.json for a test runner): no app code in it. */
  toolingOnly?: boolean;
  staticEntry?: string;
  packageHint?: Evidence;
  /** The root is a monorepo of separately published packages (a framework's split packages): libraries, whatever they build on. */
  splitPackages?: Evidence;
  hasDockerfile: boolean;
  /** A single-page-app or static-site build with no server (Vite, Vue CLI, VitePress …): static files. */
  staticBuild?: string;
  /** Where the only server is one that serves the repository's files (`express.static('.')`, no route of its own): static files. */
  staticServer?: string;
  /** Where the app's image copies a build stage's output into nginx's or httpd's document root and runs nothing else: static files. */
  staticImage?: string;
  /** Where the code connects a chat bot (logs in with its token, starts polling): a process of its own. */
  chatBot?: string;
  /** Where the repository's own Kubernetes manifests or chart deploy a workload of it: someone runs it, as with a Dockerfile. */
  deployedBy?: string;
  /** Where a systemd unit the repository ships starts its program: a daemon someone runs, though nothing else says how. */
  daemonUnit?: string;
  /** The language was only counted from file extensions: no manifest names it. */
  languageFromFiles?: boolean;
  /** The page at the repository's root a browser opens (`index.html`, or its one HTML file), not a server's `public/` folder's. */
  rootHtml?: string;
  /** A Go module with no `package main` that nothing here deploys: it builds no program, whatever framework it requires. */
  programlessModule?: Evidence;
  /** Where a native program that opens no server socket defines main, with nothing here running it: a command-line tool. */
  nativeTool?: string;
}

/** Static files whose JavaScript, counted with no package.json, is the browser's: the language is no server's. */
export const BROWSER_SCRIPTS_RULE = 'rule:html-with-browser-scripts';

export function decideKind(s: KindSignals): { kind: AppKind; evidence: Evidence[] } {
  if (s.splitPackages) return { kind: 'library', evidence: [ev('kind library', 'rule:split-package-monorepo'), s.splitPackages] };
  if (s.programlessModule) return { kind: 'library', evidence: [ev('kind library', 'rule:go-module-without-main-package'), s.programlessModule] };
  if (s.staticBuild) return { kind: 'static', evidence: [ev('kind static', 'rule:vite-spa-without-server'), ev('static build', s.staticBuild)] };
  if (s.staticServer) return { kind: 'static', evidence: [ev('kind static', 'rule:static-file-server-only'), ev('serves only static files', s.staticServer)] };
  if (s.staticImage) return { kind: 'static', evidence: [ev('kind static', 'rule:image-serves-built-files'), ev('the image serves a build stage\'s output from the web server\'s document root', s.staticImage)] };
  if (s.framework) return { kind: 'web', evidence: [ev('kind web', 'rule:web-framework')] };
  if (s.servesHttp) return { kind: 'web', evidence: [ev('kind web', 'rule:declared-http-port'), ev('serves http', s.servesHttp)] };
  if (s.backgroundJobs.length > 0) return { kind: 'worker', evidence: [ev('kind worker', 'rule:background-jobs-without-web-framework')] };
  // (A command-line tool serves nothing and runs no jobs: it is refused as a library is, for there is nothing to keep running.)
  if (s.nativeTool) return { kind: 'library', evidence: [ev('kind library', 'rule:native-program-without-server'), ev('a native program that opens no server socket and is not a daemon', s.nativeTool)] };
  if (s.entrypoint) return { kind: 'worker', evidence: [ev('kind worker', 'rule:start-command-without-web-framework'), ev('entrypoint', s.entrypoint)] };
  // A bot that logs in runs on its own even when nothing declares how to start it: not a library, not unknown.
  if (s.chatBot) return { kind: 'worker', evidence: [ev('kind worker', 'rule:chat-bot-without-web-framework'), ev('chat bot', s.chatBot)] };
  if (!s.language && s.staticEntry) return { kind: 'static', evidence: [ev('kind static', 'rule:html-without-language'), ev('static entry', s.staticEntry)] };
  // (…nor JavaScript counted by its files alone, with no package.json: scripts a root index.html loads in the browser.)
  if (s.language === 'node' && s.languageFromFiles && s.rootHtml) return { kind: 'static', evidence: [ev('kind static', BROWSER_SCRIPTS_RULE), ev('static entry', s.rootHtml)] };
  // (…nor with a package.json of test tooling only: it names the language of no code that runs.)
  if (s.toolingOnly && s.staticEntry) return { kind: 'static', evidence: [ev('kind static', 'rule:html-beside-tooling-only-package'), ev('static entry', s.staticEntry)] };
  // A Dockerfile means someone meant to run it, even if we cannot tell how: not a library.
  // …and so do the repository's own manifests deploying it: someone runs it, though nothing says how it starts.
  if (s.deployedBy) return { kind: 'unknown', evidence: [ev('kind unknown', 'rule:deployed-without-entrypoint'), ev('deployed by its own manifests', s.deployedBy)] };
  if (s.daemonUnit) return { kind: 'worker', evidence: [ev('kind worker', 'rule:systemd-unit-without-entrypoint'), ev('entrypoint', s.daemonUnit)] };
  if (s.packageHint && !s.hasDockerfile) return { kind: 'library', evidence: [ev('kind library', 'rule:package-without-entrypoint'), s.packageHint] };
  return { kind: 'unknown', evidence: [ev('kind unknown', 'rule:no-entrypoint-found')] };
}
