// Render Blueprint (render.yaml): a native-runtime service's `startCommand` declares how the app
// starts, the way a Procfile `web:` line does (Docker-runtime services run their image's command).
import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { RepoSnapshot } from '../types.js';
import type { Located } from './model.js';
import { loc } from './text.js';

const BLUEPRINTS = ['render.yaml', 'render.yml'];

/** The `startCommand` of the blueprint's web service, else of its only service that declares one. */
export function renderStartCommand(snapshot: RepoSnapshot): Located<string> | undefined {
  for (const path of BLUEPRINTS) {
    const text = snapshot.files.get(path);
    if (text === undefined) continue;
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines });
    const services = doc.errors.length ? undefined : doc.get('services', true);
    if (!isSeq(services)) return undefined;
    const declared = services.items.flatMap((item) => {
      if (!isMap(item)) return [];
      const command = item.get('startCommand', true);
      const type = item.get('type');
      if (!isScalar(command) || typeof command.value !== 'string' || !command.value.trim()) return [];
      const source = command.range ? loc(path, lines.linePos(command.range[0]).line) : path;
      return [{ web: type === 'web', command: { value: command.value.trim(), source } }];
    });
    return (declared.find((d) => d.web) ?? (declared.length === 1 ? declared[0] : undefined))?.command;
  }
  return undefined;
}
