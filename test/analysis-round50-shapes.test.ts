// Shapes from the round-50 dev cases: a Go program embedding PocketBase, and a root compose running one app of two folders.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

describe('a Go program embedding PocketBase', () => {
  const goMod = (require: string) => `module example.com/upsnap\n\ngo 1.23\n\nrequire (\n${require}\n)\n`;
  const main = 'package main\n\nimport "github.com/pocketbase/pocketbase"\n\nfunc main() {\n\tapp := pocketbase.New()\n\tapp.Start()\n}\n';
  const image = 'FROM golang:1.23 AS build\nCOPY . .\nRUN go build -o /app/server .\nFROM alpine:3\nCOPY --from=build /app/server /app/server\nCMD ["/app/server", "serve"]\n';

  it('serves HTTP on PocketBase\'s 8090 and keeps its SQLite data in pb_data', () => {
    const a = analyzeRepository(snapshot({ 'go.mod': goMod('\tgithub.com/pocketbase/pocketbase v0.22.0'), 'main.go': main, Dockerfile: image }));
    expect(a.kind).toBe('web');
    expect(a.port).toBe(8090);
    expect(a.evidence).toContainEqual({ fact: "local state: SQLite (PocketBase's pb_data folder)", source: 'go.mod:6' });
  });

  it('read from the one Go module a folder down when the root has none (the image downloads its release binary)', () => {
    const download = 'FROM alpine:3\nRUN wget https://example.com/upsnap.zip && unzip upsnap.zip\nENTRYPOINT ["/app/upsnap"]\nCMD ["serve"]\n';
    const a = analyzeRepository(snapshot({ 'backend/go.mod': goMod('\tgithub.com/pocketbase/pocketbase v0.22.0'), 'backend/main.go': main, Dockerfile: download }));
    expect(a.kind).toBe('web');
    expect(a.port).toBe(8090);
    expect(a.evidence).toContainEqual({ fact: "local state: SQLite (PocketBase's pb_data folder)", source: 'backend/go.mod:6' });
  });

  it('listens on the address its start command gives `serve --http`', () => {
    const serve = image.replace('CMD ["/app/server", "serve"]', 'CMD ["/app/server", "serve", "--http=0.0.0.0:8080"]');
    const a = analyzeRepository(snapshot({ 'go.mod': goMod('\tgithub.com/pocketbase/pocketbase v0.22.0'), 'main.go': main, Dockerfile: serve }));
    expect(a.port).toBe(8080);
  });

  it('its hooks\' echo/v5 router does not make it an Echo server on 8080: PocketBase serves', () => {
    const a = analyzeRepository(snapshot({ 'go.mod': goMod('\tgithub.com/labstack/echo/v5 v5.0.0-20230722203903-ec5b858dab61\n\tgithub.com/pocketbase/pocketbase v0.22.0'), 'main.go': main, Dockerfile: image }));
    expect(a.port).toBe(8090);
  });

  it('a PocketBase module required only indirectly decides nothing (control)', () => {
    const a = analyzeRepository(snapshot({ 'go.mod': goMod('\tgithub.com/pocketbase/pocketbase v0.22.0 // indirect'), 'main.go': main, Dockerfile: image }));
    expect(a.kind).toBe('worker');
    expect(a.port).toBeNull();
  });
});

describe('a root compose running one service of the repository\'s own, beside a server folder and a front-end folder', () => {
  const folders = {
    'server/composer.json': '{"name":"acme/notes","type":"project","require":{"php":"^8.2","laravel/framework":"^12.0"}}',
    'server/artisan': '#!/usr/bin/env php\n<?php\n',
    'server/public/index.php': '<?php\nrequire __DIR__.\'/../vendor/autoload.php\';\n',
    'client/package.json': '{"name":"notes-client","private":true,"dependencies":{"react":"^18.0.0","react-dom":"^18.0.0","react-scripts":"5.0.1"},"scripts":{"start":"react-scripts start","build":"react-scripts build"}}',
    'client/src/index.js': 'import React from "react";\n',
    'client/public/index.html': '<!doctype html><div id="root"></div>\n',
    'docker/php-fpm/Dockerfile': 'FROM php:8.2-fpm\nWORKDIR /var/www/html\n',
  };
  const compose = (extra: string) =>
    `services:\n  php-fpm:\n    build: docker/php-fpm\n    volumes:\n      - '.:/var/www/html'\n  nginx:\n    image: 'nginx:1.23.3-alpine'\n    volumes:\n      - '.:/var/www/html'\n    ports:\n      - '8080:80'\n  mysql:\n    image: 'mysql:8.0'\n${extra}`;

  it('is one service, the server folder\'s Laravel app', () => {
    const a = analyzeRepository(snapshot({ ...folders, 'docker-compose.yml': compose('') }));
    expect(a.services?.map((s) => s.name)).toEqual(['php-fpm']);
    expect(a.framework).toBe('laravel');
    expect(a.evidence).toContainEqual({ fact: 'framework laravel', source: 'server/composer.json:1' });
  });

  it('a root compose service built from the server folder is that folder, beside the other (control)', () => {
    const a = analyzeRepository(snapshot({ ...folders, 'server/Dockerfile': 'FROM php:8.2-fpm\nCOPY . /var/www/html\n', 'docker-compose.yml': compose('').replace('build: docker/php-fpm', 'build: server') }));
    expect(a.services?.map((s) => s.name)).not.toEqual(['php-fpm']);
  });

  it('a compose building the front-end folder too runs two services (control)', () => {
    const a = analyzeRepository(snapshot({ ...folders, 'client/Dockerfile': 'FROM node:20\nCOPY . .\nCMD ["npm", "start"]\n', 'docker-compose.yml': compose('  client:\n    build: client\n') }));
    expect(a.services?.length).toBe(2);
  });
});

describe('a client library of a search, analytics or time-series store the app\'s own compose file leaves out', () => {
  const goMod = 'module example.com/wyl\n\ngo 1.23\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.10.0\n\tgithub.com/influxdata/influxdb-client-go/v2 v2.14.0\n)\n';
  const main = 'package main\n\nimport "github.com/gin-gonic/gin"\n\nfunc main() {\n\tr := gin.Default()\n\tr.Run(":8840")\n}\n';
  const compose = (env: string) => `services:\n  wyl:\n    image: example/wyl\n    volumes:\n      - ./data:/data/wyl\n    environment:\n      TZ: UTC\n${env}`;

  it('is an option when compose runs the app alone with its data in a volume and names no InfluxDB', () => {
    const a = analyzeRepository(snapshot({ 'go.mod': goMod, 'main.go': main, 'docker-compose.yml': compose('') }));
    expect(a.stateful).not.toContain('influxdb');
  });

  it('NATS stays a store when compose sets NATS_URL (control)', () => {
    const nats = goMod.replace('\tgithub.com/influxdata/influxdb-client-go/v2 v2.14.0', '\tgithub.com/nats-io/nats.go v1.37.0');
    const a = analyzeRepository(snapshot({ 'go.mod': nats, 'main.go': main, 'docker-compose.yml': compose('      NATS_URL: ${NATS_URL}\n') }));
    expect(a.stateful).toContain('nats');
  });

  it('stays a store when the compose file configures it (control)', () => {
    const a = analyzeRepository(snapshot({ 'go.mod': goMod, 'main.go': main, 'docker-compose.yml': compose('      INFLUX_URL: http://influx:8086\n') }));
    expect(a.stateful).toContain('influxdb');
  });
});
