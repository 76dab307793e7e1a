// Whether a first-party service works in the background beside the app, by its name or its command. A worker,
// scheduler or queue consumer is a role of its own, a second service a platform engineer scales apart; two services
// of one build that name no such role may be one program run two ways (a second configuration, a variant).

/** Words naming background work, and the job runners that do it (sidekiq, celery, Horizon, Solid Queue …). */
const ROLE_WORD = /(?:^|[^a-z0-9])(?:workers?|queues?|jobs?|scheduler|schedule|cron|crontab|beat|clock|consumers?|listeners?|updater|sidekiq|celery|rqworker|rq|horizon|qcluster|delayed_job|good_job|resque|bullmq|daemon|poller|pollers?|ingest(?:er|or)?|indexer|notifier|mailer|dispatcher|processor|crawler|syncer|bot)(?:$|[^a-z0-9])/i;

/** A command's words without its options: `gunicorn app:app --workers 4` names no worker process. */
const withoutOptions = (command: string): string => command.split(/\s+/).filter((w) => !w.startsWith('-')).join(' ');

export const namesBackgroundRole = (name: string, command?: string): boolean => ROLE_WORD.test(name) || (command !== undefined && ROLE_WORD.test(withoutOptions(command)));
