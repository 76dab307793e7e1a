// Shapes from the round-55 stop's dev cases: a Play app and an sbt-native-packager image, Kubernetes manifests a PaaS
// renders for others from a templates folder, a command-line tool whose repository has symlinks, and Django settings
// split into a package that configure SQLite.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshotFromDir } from '../function/src/repo/snapshot.js';
import { writeTree } from './helpers/git-server.js';
import { snapshot } from './helpers/snapshot.js';

describe('a Scala app built with sbt', () => {
  const build = 'name := "piga"\nscalaVersion := "2.13.12"\nlibraryDependencies += "mysql" % "mysql-connector-java" % "8.0.33"\n';
  const controller = 'package controllers\n\nimport play.api.mvc._\n\nclass Application extends InjectedController {\n  def index() = Action { Ok("hi") }\n}\n';
  const play = (plugins: string, extra: Record<string, string> = {}) => snapshot({ 'build.sbt': build, 'project/plugins.sbt': plugins, 'app/controllers/Application.scala': controller, ...extra });

  it("Play's sbt plugin: a web app on Play's default port 9000", () => {
    const a = analyzeRepository(play('// The Play plugin\naddSbtPlugin("com.typesafe.play" % "sbt-plugin" % "2.8.20")\n'));
    expect(a.language).toBe('scala');
    expect(a.kind).toBe('web');
    expect(a.port).toBe(9000);
    expect(a.framework).toBeNull();
    expect(a.evidence).toContainEqual({ fact: 'serves http', source: 'project/plugins.sbt:2' });
    expect(a.evidence).toContainEqual({ fact: 'port 9000', source: 'rule:play-default-port' });
  });

  it("Play 3's plugin, and `http.port` in conf/application.conf overriding the default", () => {
    const a = analyzeRepository(play('addSbtPlugin("org.playframework" % "sbt-plugin" % "3.0.5")\n', { 'conf/application.conf': 'play.http.secret.key = "changeme"\nhttp.port = 9100\n' }));
    expect(a.port).toBe(9100);
    expect(a.evidence).toContainEqual({ fact: 'port 9100', source: 'conf/application.conf:2' });
  });

  it('an `http.port` read from the environment names no port: the default stays (control)', () => {
    const a = analyzeRepository(play('addSbtPlugin("org.playframework" % "sbt-plugin" % "3.0.5")\n', { 'conf/application.conf': 'http.port = ${?PORT}\n' }));
    expect(a.port).toBe(9000);
  });

  it("sbt-native-packager's dockerExposedPorts is the image's EXPOSE: a web app on that port", () => {
    const packaged = `enablePlugins(JavaServerAppPackaging)\nenablePlugins(DockerPlugin)\n${build}dockerExposedPorts ++= Seq(9003)\n`;
    const a = analyzeRepository(snapshot({ 'build.sbt': packaged, 'src/main/scala/Boot.scala': 'object Boot extends App {\n  println("up")\n}\n' }));
    expect(a.kind).toBe('web');
    expect(a.port).toBe(9003);
    expect(a.evidence).toContainEqual({ fact: 'port 9003', source: 'build.sbt:6' });
  });

  it("a commented-out plugin line, or Play enabled only for a sample project, is not the app's Play (control)", () => {
    const commented = analyzeRepository(play('// addSbtPlugin("com.typesafe.play" % "sbt-plugin" % "2.8.20")\n/* addSbtPlugin("org.playframework" % "sbt-plugin" % "3.0.5") */\n'));
    const sample = analyzeRepository(play('addSbtPlugin("org.playframework" % "sbt-plugin" % "3.0.5")\n', { 'build.sbt': `${build}lazy val core = (project in file("core"))\nlazy val todo = (project in file("samples/todo"))\n  .enablePlugins(PlayScala)\n` }));
    expect(commented.port).toBeNull();
    expect(sample.port).toBeNull();
    expect(sample.kind).not.toBe('web');
  });

  it("a subproject's Play config sets the port, a trailing comment aside", () => {
    const a = analyzeRepository(play('addSbtPlugin("org.playframework" % "sbt-plugin" % "3.0.5")\n', { 'build.sbt': `${build}lazy val server = (project in file("app/jvm"))\n  .enablePlugins(PlayScala)\n`, 'app/jvm/conf/application.conf': 'http.port = 9200 # behind the proxy\n' }));
    expect(a.port).toBe(9200);
    expect(a.evidence).toContainEqual({ fact: 'serves http', source: 'build.sbt:5' });
  });

  it('an sbt build with neither Play nor a packaged image serves nothing that says so: no port (control)', () => {
    const a = analyzeRepository(play('addSbtPlugin("org.scalastyle" %% "scalastyle-sbt-plugin" % "1.0.0")\n'));
    expect(a.kind).not.toBe('web');
    expect(a.port).toBeNull();
  });
});

describe('Kubernetes manifests in a templates folder outside any chart', () => {
  const job = 'apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: example-build\nspec:\n  template:\n    spec:\n      containers:\n        - name: build\n          image: buildpacksio/lifecycle:0.17\n';
  const app = { 'server/package.json': JSON.stringify({ name: 'paas', dependencies: { '@nestjs/core': '^11.0.0' } }), 'server/src/main.ts': 'import { NestFactory } from "@nestjs/core";\n' };

  it('are what a PaaS renders for its users at run time, not its own deployment: no k8s platform', () => {
    const a = analyzeRepository(snapshot({ ...app, 'server/templates/buildpacks.yaml': job }));
    expect(a.platforms?.map((p) => p.kind)).not.toContain('k8s');
  });

  it('the same manifest in a deploy folder is the repository deploying itself (control)', () => {
    const a = analyzeRepository(snapshot({ ...app, 'deploy/job.yaml': job }));
    expect(a.platforms?.map((p) => p.kind)).toContain('k8s');
  });

  it('a templates folder among deployment files (envsubst in CI), with no code beside it, is the deployment (control)', () => {
    const a = analyzeRepository(snapshot({ ...app, 'deploy/k8s/templates/job.yaml': job, 'deploy/k8s/render.sh': 'envsubst < templates/job.yaml | kubectl apply -f -\n' }));
    expect(a.platforms?.map((p) => p.kind)).toContain('k8s');
  });

  it("a chart's templates still show a chart (control)", () => {
    const a = analyzeRepository(snapshot({ ...app, 'chart/Chart.yaml': 'apiVersion: v2\nname: paas\nversion: 1.0.0\n', 'chart/templates/job.yaml': job }));
    expect(a.platforms?.map((p) => p.kind)).toContain('helm');
  });
});

describe('a C command-line tool whose repository holds symlinks', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  const tool = { 'configure.ac': 'AC_INIT([top], [1.0])\nAC_PROG_CC\n', 'top.c': '#include <curses.h>\nint main(void) {\n  initscr();\n  return endwin();\n}\n', 'README.md': '# top\n' };

  it('a symlink left unread cuts nothing short: the tool is still refused as a library', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scai-r55-'));
    dirs.push(dir);
    writeTree(dir, { ...tool, README: { symlink: 'README.md' } });
    const snap = await snapshotFromDir(dir);
    expect(snap.notes).toContainEqual({ fact: 'skipped 1 symlink(s), never followed: README', source: 'rule:snapshot-links-and-devices' });
    const a = analyzeRepository(snap);
    expect(a.kind).toBe('library');
    expect(a.evidence).toContainEqual({ fact: 'kind library', source: 'rule:native-program-without-server' });
  });

  it('a snapshot its limits cut short may lack the server code: not refused (control)', () => {
    const a = analyzeRepository({ ...snapshot(tool), notes: [{ fact: 'skipped 40 file(s) beyond the first 5000 files', source: 'rule:snapshot-limits' }] });
    expect(a.kind).not.toBe('library');
  });
});

describe('Django settings split into a package', () => {
  const app = { 'requirements.txt': 'django==4.2\ngunicorn==22.0\n', 'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings.prod")\n' };
  const base = (engine: string) => `DATABASES = {\n    'default': {\n        'ENGINE': 'django.db.backends.${engine}',\n        'NAME': 'site.sqlite',\n    }\n}\n`;

  it('settings/base.py configuring SQLite, which prod.py inherits: the database is a local file', () => {
    const a = analyzeRepository(snapshot({ ...app, 'site/settings/base.py': base('sqlite3'), 'site/settings/prod.py': 'from .base import *\nDEBUG = False\n' }));
    expect(a.localState).toContainEqual({ name: 'SQLite', source: 'site/settings/base.py:3' });
  });

  it("a reusable app's test project configuring SQLite is not the app's database (control)", () => {
    const a = analyzeRepository(snapshot({ 'requirements.txt': 'django==4.2\n', 'wiki/models.py': 'from django.db import models\n', 'testproject/testproject/settings/base.py': base('sqlite3'), 'testproject/manage.py': 'import os\n' }));
    expect(a.localState ?? []).not.toContainEqual(expect.objectContaining({ name: 'SQLite' }));
  });

  it('a settings module naming a server engine: not a local file (control)', () => {
    const a = analyzeRepository(snapshot({ ...app, 'site/settings/base.py': base('sqlite3'), 'site/settings/prod.py': `from .base import *\n${base('postgresql')}` }));
    expect(a.localState ?? []).not.toContainEqual(expect.objectContaining({ name: 'SQLite' }));
  });
});

describe("an image on php's FPM variant", () => {
  const app = { 'composer.json': JSON.stringify({ require: { 'laravel/framework': '^10.0' } }), 'artisan': '#!/usr/bin/env php\n<?php\n', 'public/index.php': '<?php\nrequire __DIR__."/../vendor/autoload.php";\n' };

  it("keeping the base command, or starting php-fpm from its script: FastCGI on the 9000 php:*-fpm exposes", () => {
    const kept = analyzeRepository(snapshot({ ...app, 'docker/php-fpm/Dockerfile': 'FROM php:8.2-fpm\nWORKDIR /var/www/html\nCOPY . .\n' }));
    const script = analyzeRepository(snapshot({ ...app, 'docker/php-fpm/Dockerfile': 'FROM php:8.2-fpm\nCOPY . .\nCMD ["bash", "docker/php-fpm/start-container"]\n', 'docker/php-fpm/start-container': '#!/bin/bash\ncomposer install\nphp-fpm\n' }));
    expect(kept.port).toBe(9000);
    expect(script.port).toBe(9000);
    expect(script.evidence).toContainEqual({ fact: 'port 9000', source: 'docker/php-fpm/Dockerfile:1' });
  });

  it('keeping the FPM base command, the app is not given a `php artisan serve` convention', () => {
    const a = analyzeRepository(snapshot({ ...app, Dockerfile: 'FROM php:8.2-fpm\nCOPY . .\n' }));
    expect(a.startCommand ?? null).toBeNull();
  });

  it('php-fpm daemonised behind nginx in the same container: the front door is not 9000 (control)', () => {
    const inline = analyzeRepository(snapshot({ ...app, Dockerfile: 'FROM php:8.2-fpm\nCOPY . .\nCMD php-fpm -D && nginx -g "daemon off;"\n' }));
    const supervised = analyzeRepository(snapshot({ ...app, Dockerfile: 'FROM php:8.2-fpm\nCOPY . .\nCMD ["/start.sh"]\n', 'start.sh': '#!/bin/sh\nphp-fpm\nexec supervisord -c /etc/supervisord.conf\n' }));
    expect(inline.port).not.toBe(9000);
    expect(supervised.port).not.toBe(9000);
  });

  it('an FPM image whose command runs a queue worker serves no FastCGI (control)', () => {
    const a = analyzeRepository(snapshot({ ...app, Dockerfile: 'FROM php:8.2-fpm\nCOPY . .\nCMD ["php", "artisan", "queue:work"]\n' }));
    expect(a.port).not.toBe(9000);
  });
});

describe('a C++ program beside a pyproject.toml of tooling', () => {
  const cpp = { 'CMakeLists.txt': 'cmake_minimum_required(VERSION 3.20)\nproject(streamhost CXX)\nadd_executable(streamhost src/main.cpp)\n', 'src/main.cpp': '#include <sys/socket.h>\nint main(int argc, char **argv) {\n  int fd = socket(AF_INET, SOCK_STREAM, 0);\n  return listen(fd, 16);\n}\n' };
  const pyproject = '[project]\nname = "streamhost"\ndescription = "Python tooling for streamhost"\ndependencies = ["jinja2"]\n\n[tool.setuptools]\npy-modules = []\n';

  it('a pyproject with no Python code beside it is tooling: the C++ build names the language', () => {
    const a = analyzeRepository(snapshot({ ...cpp, 'pyproject.toml': pyproject }));
    expect(a.language).toBe('cpp');
    expect(a.kind).toBe('worker');
  });

  it('with Python code of its own, the pyproject is the app\'s manifest (control)', () => {
    const a = analyzeRepository(snapshot({ ...cpp, 'pyproject.toml': pyproject, 'streamhost/cli.py': 'def main():\n    print("hi")\n' }));
    expect(a.language).toBe('python');
  });
});

describe("a Nuxt app's Nitro WebSocket route", () => {
  const app = { 'package.json': JSON.stringify({ name: 'dash', scripts: { build: 'nuxt build' }, dependencies: { nuxt: '^3.15.0' } }), 'nuxt.config.ts': 'export default defineNuxtConfig({\n  nitro: { experimental: { websocket: true } },\n})\n' };

  it('defineWebSocketHandler keeps a connection open per page: long-lived, though no dependency names it', () => {
    const a = analyzeRepository(snapshot({ ...app, 'server/api/websocket.ts': 'export default defineWebSocketHandler({\n  open(peer) { peer.subscribe("reload") },\n})\n' }));
    expect(a.longLived).toContainEqual({ name: 'websockets (Nitro)', source: 'server/api/websocket.ts:1' });
  });

  it('a function of that name in an app without Nitro is not a Nitro route (control)', () => {
    const a = analyzeRepository(snapshot({ 'package.json': JSON.stringify({ name: 'api', dependencies: { express: '^4.19.0' } }), 'src/ws.ts': 'export function defineWebSocketHandler(h: unknown) { return h }\nexport default defineWebSocketHandler({})\n' }));
    expect(a.longLived ?? []).not.toContainEqual(expect.objectContaining({ name: 'websockets (Nitro)' }));
  });

  it('plain event handlers answer requests: nothing long-lived (control)', () => {
    const a = analyzeRepository(snapshot({ ...app, 'server/api/items.get.ts': 'export default defineEventHandler(() => [])\n' }));
    expect(a.longLived ?? []).toEqual([]);
  });
});

describe('round 56: charts a PaaS installs for its users, and a slice of a BSD source tree', () => {
  const deployment = (name: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: "{{ .Values.${name}.image }}"\n`;
  const go = { 'go.mod': 'module example.com/paas\n\ngo 1.22\n', 'main.go': 'package main\n\nfunc main() {}\n', Dockerfile: 'FROM golang:1.22\nCOPY . .\nRUN go build -o /paas\nCMD ["/paas"]\n' };

  it("workloads in a templates folder outside any chart are the users' apps, not first-party services", () => {
    const a = analyzeRepository(snapshot({ ...go, 'plugins/k3s/chart.go': 'package k3s\n', 'plugins/k3s/templates/chart/deployment.yaml': deployment('app'), 'plugins/k3s/templates/sysctl-chart/templates/daemonset.yaml': deployment('sysctl').replace('Deployment', 'DaemonSet') }));
    expect(a.services ?? []).toEqual([]);
  });

  it('the same workloads in a deploy folder are the repository\'s own services (control)', () => {
    const a = analyzeRepository(snapshot({ ...go, 'deploy/web.yaml': deployment('web'), 'deploy/worker.yaml': deployment('worker') }));
    expect(a.services?.map((s) => s.name)).toEqual(['web', 'worker']);
  });

  const ntpd = '#include <unistd.h>\nint main(int argc, char *argv[]) {\n  if (daemon(1, 0) == -1) return 1;\n  return 0;\n}\n';
  const bsdMakefile = '#\t$OpenBSD: Makefile,v 1.16 $\n\nPROG=\tntpd\nSRCS=\tntpd.c\nLDADD+=\t-lutil\n\n.include <bsd.prog.mk>\n';

  it('a BSD make program file in a source-tree slice names C, with no root build file', () => {
    const a = analyzeRepository(snapshot({ 'src/usr.sbin/ntpd/Makefile': bsdMakefile, 'src/usr.sbin/ntpd/ntpd.c': ntpd }));
    expect(a.language).toBe('c');
    expect(a.evidence).toContainEqual({ fact: 'language c', source: 'src/usr.sbin/ntpd/Makefile' });
    expect(a.kind).toBe('worker');
  });

  it('a Makefile that only names PROG without the BSD rules builds nothing recognisable (control)', () => {
    const a = analyzeRepository(snapshot({ 'src/usr.sbin/ntpd/Makefile': 'PROG=\tntpd\n', 'src/usr.sbin/ntpd/ntpd.c': ntpd }));
    expect(a.language).not.toBe('c');
  });
});

describe('withoutSlashComments', () => {
  it('blanks // and /* */ comments line for line, and keeps a // inside a string', async () => {
    const { withoutSlashComments } = await import('../function/src/analysis/text.js');
    const text = 'resolvers += "Typesafe" at "https://repo.typesafe.com/" // releases\n/* a\n b */ x := 1\n';
    const out = withoutSlashComments(text);
    expect(out.split('\n')).toHaveLength(text.split('\n').length);
    expect(out).toContain('"https://repo.typesafe.com/"');
    expect(out).not.toContain('releases');
    expect(out.split('\n')[2]).toMatch(/^\s+x := 1$/);
  });
});
