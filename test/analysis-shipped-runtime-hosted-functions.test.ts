// Round 13 (C): a compose system whose app image builds its front-end in a node stage and ships a JVM, and a
// server whose endpoints are also a Vercel/Netlify functions folder. The facts the new dev cases needed: the
// language of the stage the image ships, and one service for a server that mounts its own function files.
// Synthetic in-memory repositories; each rule fails without its code.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { parseDockerfile } from '../function/src/analysis/docker.js';
import { choosePrimary } from '../function/src/analysis/primary.js';
import { snapshot } from './helpers/snapshot.js';

const appDockerfile = [
  'FROM node:latest AS storefront',
  'WORKDIR /src/web',
  'COPY web .',
  'RUN npm install && npm run build',
  'FROM maven:latest AS appserver',
  'WORKDIR /src',
  'COPY . .',
  'RUN mvn -B package -DskipTests',
  'FROM java:8-jdk-alpine',
  'COPY --from=storefront /src/web/build/ /static',
  'COPY --from=appserver /src/target/shop.jar /app/',
  'ENTRYPOINT ["java", "-jar", "/app/shop.jar"]',
  '',
].join('\n');
const pom = '<project><parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>1.5.3.RELEASE</version></parent><artifactId>shop</artifactId><dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies></project>\n';
const system = {
  'docker-compose.yml': 'services:\n  proxy:\n    build: ./proxy\n  appserver:\n    build:\n      context: app\n    ports:\n      - "8080:8080"\n  notifier:\n    build: ./notifier\n',
  'proxy/Dockerfile': 'FROM nginx:alpine\nCOPY nginx.conf /etc/nginx/nginx.conf\n',
  'proxy/nginx.conf': 'events {}\nhttp { server { listen 80; location / { proxy_pass http://appserver:8080; } } }\n',
  'app/Dockerfile': appDockerfile,
  'app/pom.xml': pom,
  'app/src/main/java/shop/ShopApp.java': '@SpringBootApplication\npublic class ShopApp { public static void main(String[] a) { SpringApplication.run(ShopApp.class, a); } }\n',
  'app/web/package.json': '{"name":"storefront","scripts":{"build":"react-scripts build"},"dependencies":{"react":"^15.0.0","react-scripts":"1.0.0"}}',
  // A stub process the demo runs beside the app (a shell loop on alpine).
  'notifier/Dockerfile': 'FROM alpine\nCOPY notify.sh /home/notify.sh\nCMD /home/notify.sh\n',
  'notifier/notify.sh': '#!/bin/sh\nwhile true; do echo waiting; sleep 1; done\n',
};

describe('the runtime of the stage an image ships', () => {
  it('is the language of a folder with no manifest, not the first stage that names a runtime', () => {
    const chosen = choosePrimary(snapshot({ 'app/Dockerfile': appDockerfile }), new Map(), parseDockerfile('app/Dockerfile', appDockerfile), null, null);
    expect(chosen.language?.value).toBe('java');
  });

  it('reads a JVM image whose first stage only builds the front-end with node as Java', () => {
    const a = analyzeRepository(snapshot(system));
    expect(a.language).toBe('java');
    expect(a.framework).toBe('spring-boot');
    expect(a.startCommand).toBe('java -jar /app/shop.jar');
  });

  it('still takes a builder stage runtime when the shipped image names none (a Go binary on alpine)', () => {
    const a = analyzeRepository(snapshot({ Dockerfile: 'FROM golang:1.22 AS build\nCOPY . .\nRUN go build -o /srv ./cmd/srv\nFROM alpine:3.20\nCOPY --from=build /srv /srv\nCMD ["/srv"]\n', 'cmd/srv/main.go': 'package main\nfunc main() {}\n' }));
    expect(a.language).toBe('go');
  });
});

const pkg = '{"name":"site-check","type":"module","scripts":{"start":"node server","build":"astro build"},"dependencies":{"express":"^5.0.0","astro":"^5.0.0"}}';
const server = "import express from 'express';\nimport fs from 'fs';\nconst app = express();\nfor (const f of fs.readdirSync('./api')) app.get(`/api/${f.replace('.js', '')}`, (await import(`./api/${f}`)).default);\napp.listen(process.env.PORT || 3000);\n";
const functions = {
  'api/dns.js': 'export default async (req, res) => res.json({});\n',
  'api/headers.js': 'export default async (req, res) => res.json({});\n',
  'api/ssl.js': 'export default async (req, res) => res.json({});\n',
  'vercel.json': '{"functions":{"api/*.js":{"maxDuration":45}}}',
};

describe('hosted function files beside the server that mounts them', () => {
  it('counts one service when the image runs the server that serves the function folder', () => {
    const a = analyzeRepository(snapshot({ 'package.json': pkg, 'server.js': server, ...functions, Dockerfile: 'FROM node:22\nCOPY . .\nRUN yarn install && yarn build\nEXPOSE 3000\nCMD ["yarn", "start"]\n' }));
    expect((a.services ?? []).length).toBeLessThanOrEqual(1);
    expect(a.serverless?.functions).toEqual(['dns', 'headers', 'ssl']);
    expect(a.serverlessAdapter?.name).toBe('vercel functions');
  });

  it('keeps the functions as the services of a functions-only project', () => {
    const a = analyzeRepository(snapshot({ 'package.json': '{"name":"fns","dependencies":{"node-fetch":"^3.0.0"}}', ...functions }));
    expect(a.services?.map((s) => s.name)).toEqual(['dns', 'headers', 'ssl']);
  });
});
