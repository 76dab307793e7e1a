// A systemd unit the repository ships for its own program (`scripts/systemd/tigase-server.service`,
// `packaging/systemd/miniflux.service`): someone runs it as a long-lived daemon, so it is not a library, even when no
// Dockerfile or start script says how it starts. Units under test, vendored, example, sample or extras folders are not the
// program's (a library's `extra/systemd/` runs it for its users), nor is a one-shot unit (a scheduled job, not a daemon).
import type { RepoSnapshot } from '../types.js';
import { byDepthThenPath, isTestOrVendored } from './files.js';
import type { Located } from './model.js';
import { lineAt, loc } from './text.js';

const UNIT_FILE = /\.service$/;
// A service unit proper: its `[Service]` section runs a command (D-Bus activation files also end in .service).
const SERVICE_SECTION = /^\[Service\][ \t]*$/m;
const EXEC_START = /^[ \t]*ExecStart[ \t]*=[ \t]*[-@:+!]*(\S.*?)[ \t]*$/m;
const ONE_SHOT = /^[ \t]*Type[ \t]*=[ \t]*oneshot\b/m;
const NOT_THE_PROGRAMS = /(?:^|\/)(?:examples?|samples?|extras?)\//;

/** The command the repository's first systemd service unit starts (under `dir`, when given), with its line. */
export function systemdDaemon(snapshot: RepoSnapshot, dir = ''): Located<string> | undefined {
  const prefix = dir === '' ? '' : `${dir}/`;
  const units = [...snapshot.files.keys()].filter((p) => p.startsWith(prefix) && UNIT_FILE.test(p) && !isTestOrVendored(p.slice(prefix.length)) && !NOT_THE_PROGRAMS.test(p.slice(prefix.length))).sort(byDepthThenPath);
  for (const path of units) {
    const text = snapshot.files.get(path) ?? '';
    if (!SERVICE_SECTION.test(text) || ONE_SHOT.test(text)) continue;
    const start = EXEC_START.exec(text);
    if (start?.[1]) return { value: start[1], source: loc(path, lineAt(text, start.index)) };
  }
  return undefined;
}
