// Whether a first-party service works in the background beside the app, by its name or its command. A worker,
// scheduler or queue consumer is a role of its own, a second service a platform engineer scales apart; two services
// of one build that name no such role may be one program run two ways (a second configuration, a variant).

/**
 * Words naming background work, and the job runners that do it (sidekiq, celery, Horizon, Solid Queue, Symfony
 * Messenger's consumer …). A digit may follow (`worker2`).
 */
const ROLE_WORD = /(?:^|[^a-z0-9])(?:workers?|queues?|jobs?|tasks?|scheduler|schedule|cron|crontab|beat|clock|consumers?|consume|messenger|listeners?|updater|sidekiq|celery|rqworker|rqscheduler|rq|horizon|qcluster|delayed_job|good_job|resque|shoryuken|karafka|dramatiq|arq|huey|run_huey|process_tasks|bullmq|daemon|pollers?|ingest(?:er|or)?|indexer|notifier|mailer|dispatcher|processor|crawler|syncer|bot)(?=$|[^a-z])/i;

/** Options that tune a web server's own processes (`gunicorn -w 4 -k uvicorn.workers.UvicornWorker`), with the value each takes. */
const SERVER_TUNING = /^--?(?:w|k|workers|worker-class|worker-connections|worker-tmp-dir|threads|max-requests)$/;

/**
 * A command's words that can name what it runs: a web server's tuning options and their values are left out, an option's
 * `=value` is kept (`--mode=worker`), and so is the word after any other option (`--mode worker`).
 */
function roleWords(command: string): string {
  const words = command.split(/\s+/);
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i] ?? '';
    if (SERVER_TUNING.test(w)) {
      i++;
      continue;
    }
    const option = /^--?([\w-]+)=(.*)$/.exec(w);
    if (option) {
      if (!SERVER_TUNING.test(`--${option[1] ?? ''}`)) out.push(option[2] ?? '');
      continue;
    }
    if (!w.startsWith('-')) out.push(w);
  }
  return out.join(' ');
}

export const namesBackgroundRole = (name: string, command?: string): boolean => ROLE_WORD.test(name) || (command !== undefined && ROLE_WORD.test(roleWords(command)));
