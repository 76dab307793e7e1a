// Engine v2: facts the analyser states for deployment (platform manifests, services, local state,
// long-lived connections, adapters) and the property that no decision picks a strategy its own
// feasibility rules exclude.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { snapshotOf } from './helpers/snapshot.js';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { budgetLimit } from '../function/src/decision/budget.js';
import { decide, DecisionError, nothingToDeploy } from '../function/src/decision/decide.js';
import { appWeight, type DecisionFacts } from '../function/src/decision/facts.js';
import { feasibility } from '../function/src/decision/feasibility.js';
import { parseIntent } from '../function/src/decision/intent.js';
import { cloudProviderSpecSchema, deploymentSpecSchema } from '../function/src/api/claim.js';
import { STRATEGIES, type Analysis, type Cloud } from '../function/src/types.js';
import { snapshot } from './helpers/snapshot.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/apps/', import.meta.url));
const traffic = { requestsPerMonth: 1_000_000, avgDurationMs: 200 };

function factsFor(a: Analysis, cloud: Cloud, prompt = 'Deploy this application'): DecisionFacts {
  const spec = deploymentSpecSchema.parse({ repository: { url: 'https://example.com/a.git' }, cloudProvider: 'p', prompt, budget: { maxMonthlyCost: 500 } });
  const provider = cloudProviderSpecSchema.parse({ type: cloud, defaultRegion: cloud === 'aws' ? 'us-east-1' : 'us-central1' });
  return { analysis: a, intent: parseIntent(prompt), cloud, policies: [], neighbors: [], weight: appWeight(a), budget: budgetLimit(spec, provider) };
}

describe('analyser: deployment facts with evidence', () => {
  it('finds shipped platform manifests anywhere but in examples/tests, each with its file', () => {
    const a = analyzeRepository(snapshot({
      'package.json': '{"dependencies":{"express":"4"}}',
      'server.js': "require('express')().listen(3000)",
      'deploy/k8s/app.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - image: ghcr.io/acme/web:1\n',
      'examples/sam/template.yaml': 'Transform: AWS::Serverless-2016-10-31\n',
    }));
    expect(a.platforms).toEqual([{ kind: 'k8s', source: 'deploy/k8s/app.yaml:2' }]);
    expect(a.evidence).toContainEqual({ fact: 'platform manifest k8s', source: 'deploy/k8s/app.yaml:2' });
  });

  it('counts first-party compose services (built here), not stores, tools or one-shot jobs', () => {
    const a = analyzeRepository(snapshotOf(join(FIXTURES, 'compose-app')));
    const compose = 'services:\n  web:\n    build: .\n  worker:\n    build: .\n    command: celery -A app worker\n  seed:\n    build: .\n  db:\n    image: postgres:16\n  adminer:\n    image: adminer\n';
    const b = analyzeRepository(snapshot({ 'requirements.txt': 'flask\ncelery\n', 'app.py': 'from flask import Flask\napp = Flask(__name__)\n', 'docker-compose.yml': compose }));
    expect(b.services?.map((s) => s.name)).toEqual(['web', 'worker']);
    expect(a.services?.length ?? 0).toBeLessThanOrEqual(1);
  });

  it('states local state, long-lived connections and a serverless adapter', () => {
    const sqlite = analyzeRepository(snapshot({ 'package.json': '{"dependencies":{"express":"4","better-sqlite3":"9"}}', 'server.js': "require('express')().listen(3000)" }));
    expect(sqlite.localState).toEqual([{ name: 'SQLite', source: 'package.json:1' }]);
    const withPg = analyzeRepository(snapshot({ 'package.json': '{"dependencies":{"express":"4","better-sqlite3":"9","pg":"8"}}', 'server.js': "require('express')().listen(3000)" }));
    expect(withPg.localState).toEqual([]); // a network database is the system of record
    const bot = analyzeRepository(snapshot({ 'requirements.txt': 'discord.py==2.3\n', 'bot.py': 'import discord\nclient.run(TOKEN)\n' }));
    expect(bot.longLived?.[0]?.name).toBe('Discord gateway bot');
    const lambda = analyzeRepository(snapshotOf(join(FIXTURES, 'fastapi-mangum')));
    expect(lambda.serverlessAdapter?.name).toBe('mangum');
    const lwa = analyzeRepository(snapshot({ 'requirements.txt': 'flask\n', 'app.py': 'from flask import Flask\napp = Flask(__name__)\n', Dockerfile: 'FROM python:3.12\nCOPY --from=public.ecr.aws/awsguru/aws-lambda-adapter:0.9.1 /lambda-adapter /opt/extensions/lambda-adapter\nCMD ["gunicorn","app:app"]\n' }));
    expect(lwa.serverlessAdapter).toEqual({ name: 'Lambda Web Adapter', source: 'Dockerfile:2' });
  });

  it('recognises Spring Boot 4 starters (spring-boot-starter-webmvc) as a web app', () => {
    const pom = '<project><parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>4.0.0</version></parent><dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-webmvc</artifactId></dependency></dependencies></project>';
    const a = analyzeRepository(snapshot({ 'pom.xml': pom, 'src/main/java/App.java': 'class App {}' }));
    expect(a).toMatchObject({ kind: 'web', framework: 'spring-boot', port: 8080 });
  });
});

describe('engine v2: feasibility before preference', () => {
  it('a shipped SAM template settles serverless; Kubernetes manifests settle kubernetes; each reason cites the file', () => {
    const sam = analyzeRepository(snapshotOf(join(FIXTURES, 'aws-sam')));
    const out = decide({ facts: factsFor(sam, 'aws'), requested: 'auto', region: 'us-east-1', traffic });
    expect(out.decision.strategy).toBe('serverless');
    expect(out.decision.reason).toMatch(/ships an AWS SAM template \(template\.yaml/);
  });

  it('local state: one VM, never replicated; a request for kubernetes is refused naming the reason', () => {
    const a = analyzeRepository(snapshot({ 'package.json': '{"dependencies":{"express":"4","better-sqlite3":"9"}}', 'server.js': "require('express')().listen(3000)" }));
    const out = decide({ facts: factsFor(a, 'aws', 'highly available'), requested: 'auto', region: 'us-east-1', traffic });
    expect(out.decision.strategy).toBe('vm');
    expect(out.decision.config.maxInstances).toBe(1);
    expect(out.decision.alternatives).toContainEqual(expect.objectContaining({ strategy: 'serverless', reason: expect.stringContaining('SQLite (package.json:1)') }));
    expect(() => decide({ facts: factsFor(a, 'aws'), requested: 'kubernetes', region: 'us-east-1', traffic })).toThrow(/spec\.strategy "kubernetes" cannot work.*SQLite/);
  });

  it('a shipped Helm chart keeps the cluster feasible for an app with local state: one replica, never a function', () => {
    const a = analyzeRepository(snapshot({
      'requirements.txt': 'flask==3.0\n',
      'app.py': 'from flask import Flask\napp = Flask(__name__)\n',
      Dockerfile: 'FROM python:3.12\nCOPY . .\nVOLUME /config\nEXPOSE 5000\nCMD ["python", "app.py"]\n',
      'charts/app/Chart.yaml': 'apiVersion: v2\nname: app\nversion: 0.1.0\n',
      'charts/app/templates/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\n',
    }));
    expect(a.localState?.map((s) => s.name)).toEqual(['data volume /config']);
    const feas = feasibility(a, 'aws');
    expect(feas.excluded.kubernetes).toBeUndefined();
    expect(feas.excluded.serverless?.rule).toBe('local-state');
    const out = decide({ facts: factsFor(a, 'aws'), requested: 'auto', region: 'us-east-1', traffic });
    expect(out.decision.strategy).toBe('kubernetes');
    expect(out.decision.reason).toMatch(/ships a Helm chart \(charts\/app\/Chart\.yaml/);
    expect(out.decision.config.replicas).toBe(1);
  });

  it('several first-party services settle a cluster before local state does (rubric rule 3 before 4): one replica, never a function', () => {
    const a = analyzeRepository(snapshot({
      'package.json': JSON.stringify({ scripts: { start: 'node server.js' }, dependencies: { koa: '3.0.0', pg: '8.0.0' } }),
      'server.js': '',
      Procfile: 'web: node server.js --services=web\nworker: node server.js --services=worker\n',
      '.env.sample': 'DATABASE_URL=postgres://u:p@db/x\nFILE_STORAGE=local\n',
    }));
    expect(a.services?.map((s) => s.name)).toEqual(['web', 'worker']);
    expect(a.localState?.length).toBe(1);
    const feas = feasibility(a, 'aws');
    expect(feas.settled?.rule).toBe('multi-service');
    expect(feas.excluded.kubernetes).toBeUndefined();
    expect(feas.excluded.serverless?.rule).toBe('multi-service');
    const out = decide({ facts: factsFor(a, 'aws'), requested: 'auto', region: 'us-east-1', traffic });
    expect(out.decision.strategy).toBe('kubernetes');
    expect(out.decision.config.replicas).toBe(1);
  });

  it('process types of one image sharing an embedded SQLite file (no backing service) stay on one VM (rubric rule 3 note)', () => {
    const files = (db: Record<string, string>) => snapshot({
      'package.json': JSON.stringify({ scripts: { start: 'node server.js' }, dependencies: { koa: '3.0.0', ...db } }),
      'server.js': '',
      Procfile: 'web: node server.js --mode=web\nworker: node server.js --mode=worker\n',
    });
    const shared = analyzeRepository(files({ 'better-sqlite3': '11.0.0' }));
    expect(shared.services?.map((s) => s.name)).toEqual(['web', 'worker']);
    const feas = feasibility(shared, 'aws');
    expect(feas.settled?.rule).toBe('local-state');
    // The reason names the process types that share the file.
    expect(feas.settled?.reason).toContain('shared by the 2 process types of one image: web (Procfile:1), worker (Procfile:2)');
    expect(feas.excluded.kubernetes?.rule).toBe('local-state');
    expect(decide({ facts: factsFor(shared, 'aws'), requested: 'auto', region: 'us-east-1', traffic }).decision.strategy).toBe('vm');
    // With a backing service beside it (a server database here) the cluster stays.
    expect(feasibility(analyzeRepository(files({ 'better-sqlite3': '11.0.0', pg: '8.0.0' })), 'aws').settled?.rule).toBe('multi-service');
  });

  it('no HTTP endpoint: the reason names the kind in words, "an app of unknown kind" when no kind was found', () => {
    const unknown = analyzeRepository(snapshot({ 'Makefile': 'all:\n\tcc -o tool tool.c\n', 'tool.c': 'int main(void) { return 0; }\n' }));
    expect(unknown.kind).toBe('unknown');
    expect(feasibility(unknown, 'aws').excluded.serverless?.reason).toBe('an app of unknown kind with no HTTP endpoint: nothing for requests to trigger');
    const worker = analyzeRepository(snapshot({ 'go.mod': 'module example.com/tool\n\ngo 1.22\n', 'main.go': 'package main\n\nfunc main() {}\n' }));
    expect(worker.kind).toBe('worker');
    expect(feasibility(worker, 'aws').excluded.serverless?.reason).toBe('a worker with no HTTP endpoint: nothing for requests to trigger');
  });

  it('a plain HTTP server on AWS without an adapter is not sent to serverless; on GCP Cloud Run runs it', () => {
    const a = analyzeRepository(snapshotOf(join(FIXTURES, 'go-gin')));
    expect(feasibility(a, 'aws').excluded.serverless?.rule).toBe('no-adapter');
    expect(feasibility(a, 'gcp').excluded.serverless).toBeUndefined();
  });

  // The property: over every fixture app, both clouds and a few prompts, the chosen strategy is
  // never one the feasibility rules exclude, and requesting an excluded one is a DecisionError.
  it('never picks a strategy its own feasibility rules exclude', () => {
    const apps = readdirSync(FIXTURES).filter((d) => !d.startsWith('.'));
    let checked = 0;
    let excludedSeen = 0;
    for (const app of apps) {
      const a = analyzeRepository(snapshotOf(join(FIXTURES, app)));
      if (a.kind === 'library' || (a.monorepo && !a.monorepo.chosen)) continue;
      if (nothingToDeploy(a)) {
        expect(() => decide({ facts: factsFor(a, 'aws'), requested: 'auto', region: 'us-east-1', traffic }), app).toThrow(/nothing deployable found/);
        continue;
      }
      for (const cloud of ['aws', 'gcp'] as const) {
        for (const prompt of ['Deploy this application', 'highly available, steady high traffic', 'spiky traffic, cheap']) {
          const facts = factsFor(a, cloud, prompt);
          const feas = feasibility(a, cloud);
          const out = decide({ facts, requested: 'auto', region: 'us-east-1', traffic });
          expect(feas.excluded[out.decision.strategy], `${app} ${cloud} "${prompt}" chose an excluded ${out.decision.strategy}`).toBeUndefined();
          for (const s of STRATEGIES.filter((x) => feas.excluded[x])) {
            excludedSeen++;
            expect(() => decide({ facts, requested: s, region: 'us-east-1', traffic })).toThrow(DecisionError);
          }
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(150);
    expect(excludedSeen).toBeGreaterThan(50);
  });
});

describe('analyser: ports from Go flags and fly.toml', () => {
  it('reads a flag default and fly.toml internal_port, with their lines', () => {
    const gomod = 'module example.com/api\n\ngo 1.22\n';
    const flags = analyzeRepository(snapshot({ 'go.mod': gomod, 'main.go': 'package main\n\nfunc main() {\n\tport := fs.Int("port", 9898, "HTTP port")\n\thttp.ListenAndServe(fmt.Sprintf(":%d", *port), nil)\n}\n' }));
    expect(flags.port).toBe(9898);
    expect(flags.evidence).toContainEqual({ fact: 'port 9898', source: 'main.go:4' });
    const addr = analyzeRepository(snapshot({ 'go.mod': gomod, 'main.go': 'package main\n\nvar addr = flag.String("addr", ":8081", "listen address")\n\nfunc main() {}\n' }));
    expect(addr.port).toBe(8081);
    const fly = analyzeRepository(snapshot({ 'package.json': '{"dependencies":{"express":"4"}}', 'server.js': "require('express')().listen(process.env.PORT)", 'fly.toml': 'app = "x"\n[http_service]\n  internal_port = 8080\n' }));
    expect(fly.evidence).toContainEqual({ fact: 'port 8080', source: 'fly.toml:3' });
  });
});

describe('analyser: a SAM project with its code in a folder', () => {
  it('takes the app from DockerContext and the platform and stores from the template', () => {
    const template = 'Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      PackageType: Image\n      FunctionUrlConfig:\n        AuthType: NONE\n    Metadata:\n      DockerContext: ./app\n  Table:\n    Type: AWS::DynamoDB::Table\n';
    const a = analyzeRepository(snapshot({
      'template.yaml': template,
      'app/Dockerfile': 'FROM python:3.12\nCOPY --from=public.ecr.aws/awsguru/aws-lambda-adapter:0.9.1 /lambda-adapter /opt/extensions/lambda-adapter\nCOPY . .\nRUN pip install -r requirements.txt\nCMD ["gunicorn", "-b", "0.0.0.0:8080", "app:app"]\n',
      'app/requirements.txt': 'flask==3.0\ngunicorn\n',
      'app/app.py': 'from flask import Flask\napp = Flask(__name__)\n',
    }));
    expect(a).toMatchObject({ kind: 'web', language: 'python', framework: 'flask', port: 8080, stateful: ['dynamodb'] });
    expect(a.platforms?.map((p) => p.kind)).toContain('sam');
    expect(a.serverlessAdapter?.name).toBe('Lambda Web Adapter');
    expect(a.evidence).toContainEqual({ fact: 'function code in app', source: 'template.yaml:10' });
  });
});

describe('analyser: more layouts real repositories use', () => {
  it('reads requirements/ split files, refuses a Go library that only uses net/http, and treats a static site generator as static', () => {
    const split = analyzeRepository(snapshot({ 'requirements/common.txt': 'flask==3.0\n', 'requirements/dev.txt': 'pytest\n', 'app.py': 'from flask import Flask\napp = Flask(__name__)\n' }));
    expect(split).toMatchObject({ kind: 'web', framework: 'flask' });
    const lib = analyzeRepository(snapshot({ 'go.mod': 'module github.com/acme/router\n\ngo 1.22\n', 'router.go': 'package router\n\nimport "net/http"\n\nfunc (r *Router) ServeHTTP(w http.ResponseWriter, req *http.Request) {}\nfunc Run(r *Router) { http.ListenAndServe(":8080", r) }\n' }));
    expect(lib.kind).toBe('library');
    const docs = analyzeRepository(snapshot({ 'package.json': '{"scripts":{"start":"vitepress dev docs"},"devDependencies":{"vitepress":"1"}}', 'docs/index.md': '# Docs\n' }));
    expect(docs).toMatchObject({ kind: 'static', port: null });
    expect(docs.startCommand).toBeUndefined();
  });

  it('takes an ASP.NET Core port from launchSettings.json', () => {
    const a = analyzeRepository(snapshot({
      'Api.csproj': '<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFramework>net8.0</TargetFramework></PropertyGroup></Project>',
      'Program.cs': 'var app = WebApplication.CreateBuilder(args).Build();\napp.Run();\n',
      'Properties/launchSettings.json': '{"profiles":{"http":{"applicationUrl":"http://localhost:5000;https://localhost:5001"}}}',
    }));
    expect(a).toMatchObject({ framework: 'aspnet-core', port: 5000 });
  });
});

describe('analyser: manifest lines in one pass', () => {
  it('finds each JSON key on its own line, the first one after the section start', async () => {
    const { jsonKeyLines } = await import('../function/src/analysis/text.js');
    const text = '{\n  "name": "x",\n  "dependencies": {\n    "a": "1",\n    "b\\\\"q": "2"\n  },\n  "devDependencies": {\n    "a": "3"\n  }\n}\n';
    const all = jsonKeyLines(text);
    expect([all.get('name'), all.get('dependencies'), all.get('a'), all.get('devDependencies')]).toEqual([2, 3, 4, 7]);
    expect(jsonKeyLines(text, text.indexOf('"devDependencies"') + 18).get('a')).toBe(8);
  });
});
