// Shapes from the round-42 dev cases (mail, IRC and SIP servers, PHP forums) and the older dev cases they generalise.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

describe('a C or C++ build at the root', () => {
  const ircd = {
    'configure.ac': 'AC_INIT([ircd], [6.1])\nAC_OUTPUT\n',
    'Makefile.in': 'all:\n\t$(CC) -o ircd src/*.c\n',
    'src/ircd.c': '#include "ircd.h"\n\nint main(int argc, char *argv[])\n{\n  return run(argc, argv);\n}\n',
    // (A daemon opens its listening socket: a program that opens none is a command-line tool, round 53.)
    'src/channel.c': '#include <sys/socket.h>\nint join(int fd) { return listen(fd, 16); }\n',
    'src/user.c': 'int quit(void) { return 0; }\n',
    // Helper scripts in another language, more of them than the daemon has files in a tiny fixture.
    'contrib/stats.py': 'print(1)\n',
    'contrib/graph.py': 'print(2)\n',
    'doc/conf.py': 'project = "ircd"\n',
    'tools/mkpasswd.py': 'print(3)\n',
  };

  it('is that language, not the majority of other files, and its main is a program that runs (a worker)', () => {
    const a = analyzeRepository(snapshot(ircd));
    expect([a.language, a.kind]).toEqual(['c', 'worker']);
    expect(a.evidence).toContainEqual({ fact: 'language c', source: 'configure.ac' });
    expect(a.evidence).toContainEqual({ fact: 'a native program: its code defines main', source: 'src/ircd.c:3' });
  });

  it('is C++ when C++ sources outnumber C ones (CMake)', () => {
    const a = analyzeRepository(snapshot({
      'CMakeLists.txt': 'project(core CXX)\nadd_executable(core src/main/main.cpp)\n',
      'src/main/main.cpp': 'int main(int argc, char** argv)\n{\n  return 0;\n}\n',
      'src/core/core.cpp': 'void run(int fd) { listen(fd, 16); }\n',
      'src/common/util.c': 'int util(void) { return 0; }\n',
    }));
    expect([a.language, a.kind]).toEqual(['cpp', 'worker']);
  });

  it('finds no program in tests, benchmarks or contributed tools (a library), nor a language with no C source (controls)', () => {
    const library = analyzeRepository(snapshot({
      'CMakeLists.txt': 'add_library(codec src/codec.c)\n',
      'src/codec.c': 'int encode(void) { return 0; }\n',
      'tests/test_codec.c': 'int main(void) { return 0; }\n',
      'bench/speed.c': 'int main(void) { return 0; }\n',
      'src/codec-test.c': 'int main(void) { return 0; }\n',
    }));
    expect([library.language, library.kind]).toEqual(['c', 'unknown']);
    // A Makefile driving a Python app's tasks is not a C build.
    const python = analyzeRepository(snapshot({ Makefile: 'test:\n\tpytest\n', 'app.py': 'print("hi")\n' }));
    expect(python.language).toBe('python');
  });

  it('serves HTTP through its PHP web UI, whose config names the database (a C daemon beside a PHP UI with no composer.json)', () => {
    const a = analyzeRepository(snapshot({
      'configure.in': 'AC_INIT([archiver], [1.4])\n',
      'src/smtpd.c': 'int main(int argc, char **argv)\n{\n  return 0;\n}\n',
      'src/store.c': 'void store(void) {}\n',
      'www/index.php': '<?php\nrequire "config.php";\nrender();\n',
      'www/config.php': "<?php\n$db_type = 'mysql';\n",
      'www/search.php': '<?php\nfunction search() {}\n',
      'www/view.php': '<?php\nfunction view() {}\n',
    }));
    expect([a.language, a.kind, a.stateful]).toEqual(['c', 'web', ['mysql']]);
  });

  it('leaves PHP with a composer.json of its own in a folder in charge (a web console over C++ daemons)', () => {
    const a = analyzeRepository(snapshot({
      'CMakeLists.txt': 'project(cctv CXX)\n',
      'src/zmc.cpp': 'int main(int argc, char *argv[])\n{\n  return 0;\n}\n',
      'web/composer.json': JSON.stringify({ require: { 'firebase/php-jwt': '^6.0' } }),
      'web/index.php': '<?php\nrequire "includes/init.php";\nrender();\n',
      'web/includes/init.php': '<?php\nsession_start();\n',
      'web/includes/render.php': '<?php\nfunction render() {}\n',
    }));
    expect([a.language, a.kind]).toEqual(['php', 'web']);
  });

  it('skips bundled C when it counts (a C++ program beside deps/lua) and finds K&R main', () => {
    const lua = Object.fromEntries([1, 2, 3, 4, 5].map((n) => [`deps/lua/l${n}.c`, 'int f(void) { return 0; }\n']));
    const cpp = analyzeRepository(snapshot({ 'CMakeLists.txt': 'project(game CXX)\n', 'src/main.cpp': 'int main()\n{\n}\n', 'src/a.cpp': 'void serve(int fd) { listen(fd, 8); }\n', 'src/b.cpp': '', ...lua }));
    expect([cpp.language, cpp.kind]).toEqual(['cpp', 'worker']);
    const kr = analyzeRepository(snapshot({ 'Makefile.am': 'sbin_PROGRAMS = smtpd\n', 'smtpd/smtpd.c': 'int\nmain (argc, argv)\n  int argc;\n{\n  daemon(0, 0);\n}\n' }));
    expect(kr.evidence).toContainEqual({ fact: 'a native program: its code defines main', source: 'smtpd/smtpd.c:1' });
  });

  it('reads a plain Makefile whose compile rules sit in a make file it includes', () => {
    const a = analyzeRepository(snapshot({ Makefile: 'include Makefile.rules\nall: proxy\n', 'Makefile.rules': '%.o: %.c\n\t$(CC) -c $< -o $@\n', 'main.c': 'int main(int argc, char** argv)\n{\n  return listen(3, 16);\n}\n' }));
    expect([a.language, a.kind]).toEqual(['c', 'worker']);
  });

  it('leaves a PHP app with a task Makefile and one contributed C helper PHP (control)', () => {
    const a = analyzeRepository(snapshot({
      Makefile: 'test:\n\tphpunit\n',
      'index.php': '<?php\nrequire "boot.php";\nrun();\n',
      'config.php': "<?php\n$db_type = 'mysql';\n",
      'contrib/pwhash.c': 'int main(void) { return 0; }\n',
    }));
    expect([a.language, a.stateful]).toEqual(['php', ['mysql']]);
  });

  it('leaves an ecosystem with a manifest in charge (a Python app with a Makefile and a C extension)', () => {
    const a = analyzeRepository(snapshot({
      Makefile: 'build:\n\tpython setup.py build_ext\n',
      'pyproject.toml': '[project]\nname = "fastparse"\ndependencies = ["flask"]\n',
      'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
      'ext/speedups.c': 'int main(void) { return 0; }\n',
    }));
    expect([a.language, a.framework]).toEqual(['python', 'flask']);
  });
});

describe('plain PHP naming its database in config', () => {
  const php = (files: Record<string, string>) => analyzeRepository(snapshot({ 'index.php': '<?php\nrequire "boot.php";\nrun();\n', ...files })).stateful;

  it('reads a DSN setting, a pdo_ driver, a driver\'s env default, Settings.php and a DSN literal built before new PDO', () => {
    expect(php({ 'config/config.inc.php.sample': "<?php\n$config['db_dsnw'] = 'mysql://mail:pass@localhost/mail';\n" })).toEqual(['mysql']);
    expect(php({ 'app/config/config.php': "<?php\nreturn [\n    'db_driver' => 'pdo_mysql',\n];\n" })).toEqual(['mysql']);
    expect(php({ 'config/database.php': "<?php\nreturn [\n    'driver'    => env('DB_DRIVER', 'pgsql'),\n];\n" })).toEqual(['postgres']);
    expect(php({ 'other/Settings.php': "<?php\n$db_type = 'mysql';\n" })).toEqual(['mysql']);
    expect(php({ 'classes/Database.php': '<?php\n$dsn = "mysql:host={$s->host};dbname={$s->db}";\n$pdo = new PDO($dsn, $s->user, $s->pass);\n' })).toEqual(['mysql']);
  });

  it('ignores usage text and a Composer library\'s DSN literal (controls)', () => {
    expect(php({ 'bin/migrate.php': '<?php\necho <<<HELP\n  php migrate.php "mysql:host=localhost;dbname=dav" user pass\nHELP;\n' })).toEqual([]);
    expect(analyzeRepository(snapshot({ 'composer.json': JSON.stringify({ name: 'acme/db', type: 'library' }), 'src/Db.php': '<?php\n$dsn = "pgsql:host=$h";\n' })).stateful).toEqual([]);
  });

  it('ignores CI configs and leaves two engines open (controls)', () => {
    expect(php({
      'config/config.inc.php.sample': "<?php\n$config['db_dsnw'] = 'mysql://mail:pass@localhost/mail';\n",
      '.ci/config-test.inc.php': "<?php\n$config['db_dsnw'] = 'sqlite:///tmp/test.db';\n",
    })).toEqual(['mysql']);
    expect(php({ 'config/config.php': "<?php\n$config['db_dsnw'] = 'mysql://a@b/c';\n$config['db_dsnr'] = 'pgsql://a@b/c';\n" })).toEqual([]);
    // A bundled database layer's per-engine handlers (`mysql:dbname=`, `pgsql:dbname=`) name no engine; the app's own PDO call does.
    expect(php({
      'web/db/handlers/mysql.php': '<?php\n$dsn = "mysql:dbname=$database";\n',
      'web/db/handlers/pgsql.php': '<?php\n$dsn = "pgsql:dbname=$database";\n',
      'web/lib/module.php': '<?php\n$db = new PDO("mysql:host=" . $host, $user, $pass);\n',
    })).toEqual(['mysql']);
  });
});

describe('a host app\'s plugin', () => {
  const plugin = (type: string) => ({
    'composer.json': JSON.stringify({ name: 'acme/community', type, require: { php: '>=7.4' } }),
    'bp-loader.php': '<?php\n/* Plugin Name: Community */\nrequire "src/loader.php";\n',
    'src/loader.php': '<?php\nadd_action("init", "community_init");\n',
    'package.json': JSON.stringify({ scripts: { start: 'npm run dev:components && parcel watch src/js/*.js --out-dir src', build: 'parcel build src/js/*.js' }, devDependencies: { parcel: '^1.12.0' } }),
  });

  it('is a library (a WordPress plugin whose start script only watches its assets)', () => {
    const a = analyzeRepository(snapshot(plugin('wordpress-plugin')));
    expect([a.kind, a.language]).toEqual(['library', 'php']);
  });

  it('keeps a Composer project an app, and a start script that runs a server (controls)', () => {
    expect(analyzeRepository(snapshot(plugin('project'))).kind).not.toBe('library');
    // A project whose inline package repository declares a plugin is still a project.
    const bedrock = { ...plugin('project'), 'composer.json': JSON.stringify({ name: 'acme/site', type: 'project', repositories: [{ type: 'package', package: { name: 'acme/seo', type: 'wordpress-plugin', version: '1.0' } }] }) };
    expect(analyzeRepository(snapshot(bedrock)).kind).not.toBe('library');
    // Start scripts that run code: babel-node, or a package script that is not an asset build.
    const bot = { 'requirements.txt': 'requests\n', 'tools/x.py': 'print(1)\n', 'src/bot.js': 'client.login(token);\n' };
    for (const start of ['babel-node src/bot.js', 'webpack && npm run bot']) {
      expect(analyzeRepository(snapshot({ ...bot, 'package.json': JSON.stringify({ scripts: { start, bot: 'node src/bot.js' } }) })).language).toBe('node');
    }
    const files = plugin('wordpress-plugin');
    const server = analyzeRepository(snapshot({ ...files, 'package.json': JSON.stringify({ scripts: { start: 'npm run build && node server.js' }, dependencies: { express: '^4.0.0' } }), 'server.js': 'const express = require("express");\nexpress().listen(3000);\n' }));
    expect(server.language).toBe('node');
  });
});

describe('an image exposing only other protocols\' ports', () => {
  const mail = (expose: string) => ({
    'go.mod': 'module example.com/mailsrv\n\ngo 1.22\n',
    'main.go': 'package main\n\nimport "net/http"\n\nfunc main() {\n\tgo http.ListenAndServe(cfg.API, nil)\n\tserveSMTP()\n}\n',
    Dockerfile: `FROM alpine\nCOPY mailsrv /bin/mailsrv\nEXPOSE ${expose}\nENTRYPOINT ["/bin/mailsrv", "run"]\n`,
  });

  it('declares no HTTP port: its standard-library listener is a side API, the app a worker', () => {
    const a = analyzeRepository(snapshot(mail('25 143 993 587')));
    expect([a.kind, a.framework, a.port]).toEqual(['worker', null, null]);
    expect(a.evidence).toContainEqual({ fact: 'framework go-net-http set aside: the image exposes only other protocols\' ports', source: 'Dockerfile:3' });
  });

  it('keeps a web port beside them, and an IRC server\'s web port alone (controls)', () => {
    expect(analyzeRepository(snapshot(mail('25 80'))).port).toBe(80);
    expect(analyzeRepository(snapshot(mail('8080'))).kind).toBe('web');
  });
});
