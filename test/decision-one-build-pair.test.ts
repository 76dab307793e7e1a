// Two first-party services of one build that name no background role (a variant, a second configuration of one
// program) do not settle a cluster on their own: one VM runs them either way (eval/RUBRIC.md rule 3 accepts vm for
// two). A worker beside the app, two apps of their own folders, or three services still settle one.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { namesBackgroundRole } from '../function/src/analysis/service-roles.js';
import { budgetLimit } from '../function/src/decision/budget.js';
import { decide } from '../function/src/decision/decide.js';
import { appWeight } from '../function/src/decision/facts.js';
import { feasibility, onePairOfOneBuild } from '../function/src/decision/feasibility.js';
import { parseIntent } from '../function/src/decision/intent.js';
import { cloudProviderSpecSchema, deploymentSpecSchema } from '../function/src/api/claim.js';
import type { Analysis, RepoSnapshot } from '../function/src/types.js';

const snapshot = (files: Record<string, string>): RepoSnapshot => ({ files: new Map(Object.entries(files)) });
const flask = { 'requirements.txt': 'flask==3.0.0\npsycopg2==2.9.9\n', 'app.py': 'from flask import Flask\napp = Flask(__name__)\n' };
const neutral = (a: Analysis) => {
  const spec = deploymentSpecSchema.parse({ repository: { url: 'https://example.com/a.git' }, cloudProvider: 'p', prompt: 'Deploy this application', budget: { maxMonthlyCost: 500 } });
  const provider = cloudProviderSpecSchema.parse({ type: 'aws', defaultRegion: 'us-east-1' });
  return { analysis: a, intent: parseIntent('Deploy this application'), cloud: 'aws' as const, policies: [], neighbors: [], weight: appWeight(a), budget: budgetLimit(spec, provider) };
};
const compose = (services: string) => `services:\n${services}  db:\n    image: postgres:16\n`;

describe('background roles, by name or command', () => {
  it('names workers, schedulers and job runners; options and plain app names are not roles', () => {
    for (const [name, command] of [['worker', undefined], ['app', 'celery -A proj worker'], ['queue', undefined], ['app', 'php artisan queue:work'], ['jobs', 'bundle exec sidekiq'], ['beat', undefined], ['app', 'bin/rails solid_queue:start']] as const) {
      expect([name, command, namesBackgroundRole(name, command)]).toEqual([name, command, true]);
    }
    for (const [name, command] of [['web', 'gunicorn app:app --workers 4'], ['app-https', 'gunicorn app:app --certfile c.pem'], ['frontend', undefined], ['api', 'node server.js']] as const) {
      expect([name, command, namesBackgroundRole(name, command)]).toEqual([name, command, false]);
    }
  });
});

describe('feasibility: a pair of services of one build', () => {
  it('two configurations of one build with no role settle a VM, and say why', () => {
    const a = analyzeRepository(snapshot({
      ...flask,
      Dockerfile: 'FROM python:3.12\nCOPY . .\nEXPOSE 8000\nCMD ["gunicorn", "app:app", "-b", "0.0.0.0:8000"]\n',
      'docker-compose.yml': compose('  app:\n    build: .\n    ports: ["8000:8000"]\n  app-tls:\n    build: .\n    command: gunicorn app:app -b 0.0.0.0:8443 --certfile /certs/c.pem\n    ports: ["8443:8443"]\n'),
    }));
    expect(a.services?.map((s) => [s.name, s.build, s.role])).toEqual([['app', 'compose:|', false], ['app-tls', 'compose:|', false]]);
    expect(onePairOfOneBuild(a.services ?? [])).toBe(true);
    const feas = feasibility(a, 'aws');
    expect(feas.settled?.strategy).toBe('vm');
    expect(feas.settled?.rule).toBe('one-build-pair');
    expect(feas.settled?.reason).toContain('app (docker-compose.yml:');
    expect(feas.excluded.serverless?.rule).toBe('multi-service');
    expect(feas.excluded.kubernetes).toBeUndefined();
    // Chosen on a neutral claim, with the confidence of a choice between two readings, not of a hard fact (0.9).
    const out = decide({ facts: neutral(a), requested: 'auto', region: 'us-east-1', traffic: { requestsPerMonth: 1_000_000, avgDurationMs: 200 } });
    expect([out.decision.strategy, out.decision.confidence]).toEqual(['vm', 0.7]);
    expect(out.decision.reason).toContain('2 first-party services of one build and no background role');
  });

  it('a worker beside the app, by command or by its Dockerfile, still settles a cluster', () => {
    const byCommand = analyzeRepository(snapshot({
      ...flask,
      Dockerfile: 'FROM python:3.12\nCOPY . .\nEXPOSE 8000\nCMD ["gunicorn", "app:app"]\n',
      'docker-compose.yml': compose('  web:\n    build: .\n  tasks:\n    build: .\n    command: celery -A app worker\n'),
    }));
    expect(byCommand.services?.map((s) => [s.name, s.role])).toEqual([['tasks', true], ['web', false]]);
    expect(feasibility(byCommand, 'aws').settled?.rule).toBe('multi-service');
    const byDockerfile = analyzeRepository(snapshot({
      ...flask,
      Dockerfile: 'FROM python:3.12\nCOPY . .\nEXPOSE 8000\nCMD ["gunicorn", "app:app"]\n',
      'Dockerfile.worker': 'FROM python:3.12\nCOPY . .\nCMD ["python", "consume.py"]\n',
      'docker-compose.yml': compose('  web:\n    build: .\n  second:\n    build:\n      context: .\n      dockerfile: Dockerfile.worker\n'),
    }));
    expect(byDockerfile.services?.find((s) => s.name === 'second')?.role).toBe(true);
    expect(feasibility(byDockerfile, 'aws').settled?.rule).toBe('multi-service');
  });

  it('two apps built from folders of their own are two builds: a cluster', () => {
    const a = analyzeRepository(snapshot({
      'api/requirements.txt': 'flask==3.0.0\n', 'api/app.py': 'from flask import Flask\n', 'api/Dockerfile': 'FROM python:3.12\nCOPY . .\nCMD ["flask", "run"]\n',
      'web/package.json': JSON.stringify({ dependencies: { express: '4.0.0' }, scripts: { start: 'node index.js' } }), 'web/index.js': '', 'web/Dockerfile': 'FROM node:20\nCOPY . .\nCMD ["node", "index.js"]\n',
      'docker-compose.yml': compose('  api:\n    build: ./api\n  web:\n    build: ./web\n'),
    }));
    expect(new Set(a.services?.map((s) => s.build)).size).toBe(2);
    expect(feasibility(a, 'aws').settled?.rule).toBe('multi-service');
  });

  it('Procfile process types: web beside a worker is a cluster, web beside a second server of the image is not settled as one', () => {
    const files = (procfile: string) => snapshot({ 'package.json': JSON.stringify({ scripts: { start: 'node server.js' }, dependencies: { koa: '3.0.0', pg: '8.0.0' } }), 'server.js': '', Procfile: procfile });
    expect(feasibility(analyzeRepository(files('web: node server.js\nworker: node jobs.js\n')), 'aws').settled?.rule).toBe('multi-service');
    const pair = feasibility(analyzeRepository(files('web: node server.js\nadmin: node server.js --admin\n')), 'aws');
    expect(pair.settled).toMatchObject({ strategy: 'vm', rule: 'one-build-pair' });
  });

  it('three services of one build with no role still settle a cluster (rule 3 accepts only a cluster for three)', () => {
    const services = ['a', 'b', 'c'].map((name) => ({ name, source: `docker-compose.yml:${name}`, build: 'compose:.|', role: false }));
    expect(onePairOfOneBuild(services)).toBe(false);
    expect(onePairOfOneBuild(services.slice(0, 2))).toBe(true);
    // An unknown build is never taken for the same one.
    expect(onePairOfOneBuild([{ name: 'a', source: 's' }, { name: 'b', source: 's' }])).toBe(false);
  });
});
