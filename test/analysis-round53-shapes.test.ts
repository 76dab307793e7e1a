// Shapes from the round-53 dev cases: plain PHP that reaches its database through a native extension, a single-file
// web app whose page is not index.html, an image whose command only keeps its container up, and a C command-line tool.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

describe('plain PHP connecting through a native database extension', () => {
  const index = '<?php\nrequire "include/db.php";\necho "<h1>Bookings</h1>";\n';
  const mysqli = '<?php\nfunction db_connect($c) {\n  return mysqli_connect($c["host"], $c["user"], $c["pass"], $c["name"], 3306);\n}\n';

  it('mysqli_connect in its own code: the app runs on MySQL', () => {
    const a = analyzeRepository(snapshot({ 'index.php': index, 'include/db.php': mysqli }));
    expect(a.stateful).toContain('mysql');
    expect(a.evidence.some((e) => e.fact.includes('mysql') && e.source === 'include/db.php:3')).toBe(true);
  });

  it('`new MySQLi(…)` in a class of its own counts the same, and pg_connect alone gives PostgreSQL', () => {
    const oo = analyzeRepository(snapshot({ 'index.php': index, 'classes/Database.php': '<?php\nclass Database {\n  function open() { $this->link = new MySQLi($h, $u, $p, $d); }\n}\n' }));
    const pg = analyzeRepository(snapshot({ 'index.php': index, 'include/db.php': '<?php\n$conn = pg_connect("host=$host dbname=$name");\n' }));
    expect(oo.stateful).toContain('mysql');
    expect(pg.stateful).toContain('postgres');
  });

  it('code connecting to two engines leaves the choice to its config: no server (control)', () => {
    const a = analyzeRepository(snapshot({ 'index.php': index, 'include/db.php': mysqli, 'include/db_pgsql.php': '<?php\n$conn = pg_connect($dsn);\n' }));
    expect(a.stateful).not.toContain('mysql');
    expect(a.stateful).not.toContain('postgres');
  });

  it('SQLite beside mysqli is an embedded choice the config makes: no server (control)', () => {
    const a = analyzeRepository(snapshot({ 'index.php': index, 'include/db.php': mysqli, 'include/db_sqlite.php': '<?php\n$db = new SQLite3(__DIR__ . "/data/app.db");\n' }));
    expect(a.stateful).not.toContain('mysql');
  });

  it('a mysqli call in a bundled library, a test, or a comment is not the app connecting (control)', () => {
    const a = analyzeRepository(snapshot({
      'index.php': index,
      'lib/adodb/drivers/mysqli.php': mysqli,
      'tests/bootstrap.php': mysqli,
      'include/db.php': '<?php\n// $link = mysqli_connect($host, $user, $pass);\n$link = null;\n',
    }));
    expect(a.stateful).not.toContain('mysql');
  });

  it('a method, a variable or a definition named like the call is not the extension connecting (control)', () => {
    const method = analyzeRepository(snapshot({ 'index.php': index, 'include/db.php': '<?php\nclass Db {\n  function pg_connect($dsn) { return $this->driver->pg_connect($dsn); }\n}\n' }));
    const variable = analyzeRepository(snapshot({ 'index.php': index, 'include/db.php': '<?php\n$f = $mysqli_connect($h);\n' }));
    expect(method.stateful).not.toContain('postgres');
    expect(variable.stateful).not.toContain('mysql');
  });

  it('PDO code offering MySQL and PostgreSQL leaves the choice open even beside a mysqli call (control)', () => {
    const a = analyzeRepository(snapshot({
      'index.php': index,
      'include/db.php': mysqli,
      'include/pdo.php': '<?php\n$my = new PDO("mysql:host=$h;dbname=$d");\n$pg = new PDO("pgsql:host=$h;dbname=$d");\n',
    }));
    expect(a.stateful).not.toContain('mysql');
    expect(a.stateful).not.toContain('postgres');
  });
});

describe('a single-file web app at the root', () => {
  const page = '<!DOCTYPE html>\n<html><head><script src="extras/jquery.min.js"></script></head><body><div id="board"></div></body></html>\n';
  const jquery = '/*! jQuery v3.6.0 */\n!function(e,t){"use strict";window.jQuery=t(e)}(this,function(){return {}});\n';

  it('its one HTML file, named for the app, is the page: a static site, with no server language', () => {
    const a = analyzeRepository(snapshot({ 'nullboard.html': page, 'extras/jquery.min.js': jquery, 'README.md': '# Nullboard\n' }));
    expect(a.kind).toBe('static');
    expect(a.language).toBeNull();
    expect(a.evidence).toContainEqual({ fact: 'static entry', source: 'nullboard.html' });
  });

  it('a page that loads no script, a site-verification file, or a browser extension\'s popup is no app page (control)', () => {
    const plain = analyzeRepository(snapshot({ 'nullboard.html': '<html><body><h1>Docs</h1></body></html>\n', 'extras/jquery.min.js': jquery }));
    const verification = analyzeRepository(snapshot({ 'google1a2b3c4d.html': page, 'extras/jquery.min.js': jquery }));
    const extension = analyzeRepository(snapshot({ 'popup.html': page, 'extras/jquery.min.js': jquery, 'manifest.json': '{ "manifest_version": 3, "name": "tabs" }\n' }));
    expect([plain.kind, verification.kind, extension.kind]).not.toContain('static');
  });

  it('several root pages of other names are documents, not an entry (control)', () => {
    const a = analyzeRepository(snapshot({ 'about.html': page, 'help.html': page, 'extras/jquery.min.js': jquery }));
    expect(a.kind).not.toBe('static');
  });
});

describe('an image whose command only keeps the container up', () => {
  const dockerfile = (cmd: string) => `FROM perl:5.36\nCOPY . /opt/rt\nRUN cpanm --installdeps /opt/rt\nCMD ${cmd}\n`;
  const files = { 'etc/cpanfile': 'requires "Plack";\n', 'sbin/rt-server': '#!/usr/bin/perl\nuse Plack::Runner;\n', 'lib/RT.pm': 'package RT;\n1;\n' };

  it('`tail -f /dev/null` starts nothing: it is no start command and no worker', () => {
    const a = analyzeRepository(snapshot({ ...files, Dockerfile: dockerfile('tail -f /dev/null') }));
    expect(a.startCommand).toBeUndefined();
    expect(a.kind).toBe('unknown');
  });

  it('`sleep infinity` in exec form starts nothing either', () => {
    const a = analyzeRepository(snapshot({ ...files, Dockerfile: dockerfile('["sleep", "infinity"]') }));
    expect(a.startCommand).toBeUndefined();
    expect(a.kind).toBe('unknown');
  });

  it('an entrypoint that starts the daemon before keeping the container up is a start command (control)', () => {
    const a = analyzeRepository(snapshot({ ...files, Dockerfile: dockerfile('/opt/rt/sbin/rt-server --port 80 & tail -f /dev/null') }));
    expect(a.startCommand).toBe('/opt/rt/sbin/rt-server --port 80 & tail -f /dev/null');
  });
});

describe('a C command-line tool', () => {
  const makefile = 'CC ?= gcc\nall:\n\t${CC} src/*.c -std=gnu99 -lcurl -o cmyflix\n';
  const main = '#include <stdio.h>\n#include "scan.h"\n\nint main(int argc, char **argv) {\n  return scan_library(argv[1]);\n}\n';
  const scan = '#include <curl/curl.h>\nint scan_library(const char *dir) {\n  CURL *c = curl_easy_init();\n  return c == NULL;\n}\n';

  it('a Makefile compiling with ${CC} names C, and a program that opens no server socket is a tool: refused as a library', () => {
    const a = analyzeRepository(snapshot({ Makefile: makefile, 'src/main.c': main, 'src/scan.c': scan, 'src/scan.h': 'int scan_library(const char *dir);\n' }));
    expect(a.language).toBe('c');
    expect(a.kind).toBe('library');
    expect(a.evidence).toContainEqual({ fact: 'kind library', source: 'rule:native-program-without-server' });
  });

  it('a program that listens on a socket is a daemon, not a tool (control)', () => {
    const server = '#include <sys/socket.h>\nint serve(int fd) {\n  return listen(fd, 16);\n}\n';
    const a = analyzeRepository(snapshot({ Makefile: makefile, 'src/main.c': main, 'src/scan.c': scan, 'src/server.c': server }));
    expect(a.kind).toBe('worker');
  });

  it('with an image that runs it, someone deploys it: not a tool (control)', () => {
    const a = analyzeRepository(snapshot({ Makefile: makefile, 'src/main.c': main, 'src/scan.c': scan, Dockerfile: 'FROM alpine:3.20\nCOPY cmyflix /usr/bin/\nCMD ["cmyflix", "/media"]\n' }));
    expect(a.kind).not.toBe('library');
  });
});

describe('a plain PHP config whose database array names its engine (round 54)', () => {
  const index = '<?php\nrequire "config/settings.php";\nrender();\n';
  const settings = (type: string, after = '') => `<?php\nreturn [\n    'database' => [\n        'host' => 'localhost',\n        'name' => 'powerdns',\n        'type' => '${type}',     // Options: 'mysql', 'pgsql', 'sqlite'\n    ],\n${after}];\n`;

  it("`'database' => [ … 'type' => 'mysql' … ]` in the defaults: the app runs on MySQL", () => {
    const a = analyzeRepository(snapshot({ 'index.php': index, 'config/settings.defaults.php': settings('mysql') }));
    expect(a.stateful).toContain('mysql');
    expect(a.evidence.some((e) => e.fact.includes('mysql') && e.source === 'config/settings.defaults.php:6')).toBe(true);
  });

  it('a `type` in the next array, after the database array closes, is not the database\'s (control)', () => {
    const text = "<?php\nreturn [\n    'database' => [\n        'host' => 'localhost',\n    ],\n    'cache' => [\n        'type' => 'mysql',\n    ],\n];\n";
    const a = analyzeRepository(snapshot({ 'index.php': index, 'config/settings.defaults.php': text }));
    expect(a.stateful).not.toContain('mysql');
  });

  it('SQLite as the array\'s type leaves no server (control)', () => {
    const a = analyzeRepository(snapshot({ 'index.php': index, 'config/settings.defaults.php': settings('sqlite') }));
    expect(a.stateful).not.toContain('mysql');
  });
});
