// Scheduled jobs: processes that run on a clock. Found in Procfile process names, celery beat
// commands, cron-ish annotations in code, and scheduler dependencies (see stateful.ts).
import type { RepoSnapshot } from '../types.js';
import { ALL_SOURCE_EXTENSIONS, sourceFiles } from './files.js';
import type { Located } from './model.js';
import { lineAt, loc } from './text.js';

const CODE_RULES: readonly { name: string; pattern: RegExp }[] = [
  { name: 'spring-scheduled', pattern: /@Scheduled\s*\(/ },
  { name: 'laravel-scheduler', pattern: /\$schedule->|Schedule::(?:command|call|job)\s*\(/ },
  { name: 'celery-beat', pattern: /\bbeat_schedule\b/ },
  { name: 'hangfire-recurring', pattern: /RecurringJob\.AddOrUpdate/ },
  { name: 'oban-cron', pattern: /Oban\.Plugins\.Cron/ },
];

export function scheduledJobs(snapshot: RepoSnapshot, procfile: ReadonlyMap<string, Located<string>>, commands: readonly Located<string>[]): Located<string>[] {
  const out: Located<string>[] = [];
  for (const [name, cmd] of procfile) {
    if (/^(clock|scheduler|cron|beat)$/.test(name)) out.push({ value: /celery.*\bbeat\b/.test(cmd.value) ? 'celery-beat' : `procfile-${name}`, source: cmd.source });
  }
  for (const cmd of commands) if (/\bcelery\b.*\bbeat\b/.test(cmd.value)) out.push({ value: 'celery-beat', source: cmd.source });
  for (const file of sourceFiles(snapshot, ALL_SOURCE_EXTENSIONS)) {
    for (const rule of CODE_RULES) {
      const m = rule.pattern.exec(file.text);
      if (m) out.push({ value: rule.name, source: loc(file.path, lineAt(file.text, m.index)) });
    }
  }
  // config/schedule.rb is whenever's crontab DSL.
  if (snapshot.files.has('config/schedule.rb')) out.push({ value: 'whenever', source: 'config/schedule.rb' });
  return out;
}
