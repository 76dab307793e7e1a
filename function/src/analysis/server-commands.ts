// The commands that keep a web server in the foreground, as regular-expression sources: one home for docker.ts's
// official-base-image rule (does the image still run its base's server?) and source-scan.ts's "this command serves HTTP".

/** Where a command word starts: the line's start, after a space, a path's slash or a quote. */
export const COMMAND_WORD_START = String.raw`(?:^|[\s/'"])`;
/** Apache in the foreground: the php:apache and httpd images' scripts, or `apachectl -D FOREGROUND`. */
export const APACHE_FOREGROUND = String.raw`apache2-foreground|httpd-foreground|(?:apache2ctl|apachectl|httpd|apache2)\s+-D\s*FOREGROUND`;
/** nginx in the foreground: `nginx -g 'daemon off;'`. */
export const NGINX_FOREGROUND = String.raw`nginx\s+-g\s`;
