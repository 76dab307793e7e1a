// Two first-party services of one build that name no background role (a variant, a second configuration of one
// program) settle no cluster: preference weighs them as one process, so one VM unless the prompt asks for scale or
// availability (eval/RUBRIC.md rule 3 accepts vm for two). A worker beside the app, two builds, or three services
// still settle a cluster.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { namesBackgroundRole } from '../function/src/analysis/service-roles.js';
import { cloudProviderSpecSchema, deploymentSpecSchema } from '../function/src/api/claim.js';
import { budgetLimit } from '../function/src/decision/budget.js';
import { decide } from '../function/src/decision/decide.js';
import { appWeight, type DecisionFacts } from '../function/src/decision/facts.js';
import { feasibility, onePairOfOneBuild } from '../function/src/decision/feasibility.js';
import { parseIntent } from '../function/src/decision/intent.js';
import type { Analysis } from '../function/src/types.js';
import { snapshot } from './helpers/snapshot.js';

const flask = { 'requirements.txt': 'flask==3.0.0\npsycopg2==2.9.9\n', 'app.py': 'from flask import Flask\napp = Flask(__name__)\n' };
const image = 'FROM python:3.12\nCOPY . .\nEXPOSE 8000\nCMD ["gunicorn", "app:app", "-b", "0.0.0.0:8000"]\n';
const compose = (services: string) => `services:\n${services}  db:\n    image: postgres:16\n`;
const traffic = { requestsPerMonth: 1_000_000, avgDurationMs: 200 };
function factsFor(a: Analysis, prompt = 'Deploy this application'): DecisionFacts {
  const spec = deploymentSpecSchema.parse({ repository: { url: 'https://example.com/a.git' }, cloudProvider: 'p', prompt, budget: { maxMonthlyCost: 500 } });
  const provider = cloudProviderSpecSchema.parse({ type: 'aws', defaultRegion: 'us-east-1' });
  return { analysis: a, intent: parseIntent(prompt), cloud: 'aws', policies: [], neighbors: [], weight: appWeight(a), budget: budgetLimit(spec, provider) };
}
const decideFor = (a: Analysis, prompt?: string) => decide({ facts: factsFor(a, prompt), requested: 'auto', region: 'us-east-1', traffic }).decision;

describe('background roles, by name or command', () => {
  it('names workers, schedulers and job runners, also as an option value or with a digit after', () => {
    const roles = [['worker', undefined], ['worker2', undefined], ['app', 'celery -A proj worker'], ['queue', undefined], ['app', 'php artisan queue:work'], ['jobs', 'bundle exec sidekiq'], ['beat', undefined],
      ['app', 'bin/rails solid_queue:start'], ['app', 'python main.py --mode=worker'], ['app', 'python main.py --mode worker'], ['app', 'bin/console messenger:consume async'], ['app', 'python manage.py run_huey'], ['app', 'dramatiq app.tasks']] as const;
    for (const [name, command] of roles) expect([name, command, namesBackgroundRole(name, command)]).toEqual([name, command, true]);
  });

  it("a web server's tuning options and plain app names are not roles", () => {
    const plain = [['web', 'gunicorn app:app --workers 4'], ['web', 'gunicorn app:app -w 4 -k uvicorn.workers.UvicornWorker'], ['web', 'gunicorn app:app --worker-class=gevent --workers=2'], ['app-https', 'gunicorn app:app --certfile c.pem'], ['frontend', undefined], ['api', 'node server.js']] as const;
    for (const [name, command] of plain) expect([name, command, namesBackgroundRole(name, command)]).toEqual([name, command, false]);
  });
});

describe('a pair of services of one build', () => {
  const pair = analyzeRepository(snapshot({
    ...flask,
    Dockerfile: image,
    'docker-compose.yml': compose('  app:\n    build: .\n    ports: ["8000:8000"]\n  app-tls:\n    build: .\n    command: gunicorn app:app -b 0.0.0.0:8443 --certfile /certs/c.pem\n    ports: ["8443:8443"]\n'),
  }));

  it('settles no cluster; preference gives one VM on a neutral claim and says why, with the evidence', () => {
    expect(pair.services?.map((s) => [s.name, s.build, s.role])).toEqual([['app', 'compose:|Dockerfile|', false], ['app-tls', 'compose:|Dockerfile|', false]]);
    expect(onePairOfOneBuild(pair.services ?? [])).toBe(true);
    const feas = feasibility(pair, 'aws');
    expect(feas.settled).toBeUndefined();
    expect(feas.excluded.serverless?.rule).toBe('multi-service');
    expect(feas.excluded.kubernetes).toBeUndefined();
    const d = decideFor(pair);
    expect(d.strategy).toBe('vm');
    // The reason names the two services with their lines; the cluster's why-not says what the pair may be.
    expect(d.reason).toContain('2 first-party services (app (docker-compose.yml:2), app-tls (docker-compose.yml:5))');
    expect(d.alternatives.find((x) => x.strategy === 'kubernetes')?.reason).toContain('2 first-party services of one build and no background role (app (docker-compose.yml:2), app-tls (docker-compose.yml:5)), perhaps one program run two ways');
    // A margin, not a hard fact's 0.9.
    expect(d.confidence).toBeLessThanOrEqual(0.8);
  });

  it('a prompt asking for availability or scale still gets a cluster', () => {
    expect(decideFor(pair, 'Flask API, highly available, autoscaling for millions of users').strategy).toBe('kubernetes');
  });

  it('with a SQLite file, local state decides: one VM, kubernetes excluded, the reason names the state', () => {
    const a = analyzeRepository(snapshot({
      'requirements.txt': 'flask==3.0.0\n', 'app.py': 'from flask import Flask\nimport sqlite3\ndb = sqlite3.connect("data/app.db")\n', Dockerfile: image,
      'docker-compose.yml': 'services:\n  app:\n    build: .\n  app-tls:\n    build: .\n    command: gunicorn app:app --certfile c.pem\n',
    }));
    expect(onePairOfOneBuild(a.services ?? [])).toBe(true);
    expect(a.localState?.length).toBeGreaterThan(0);
    const feas = feasibility(a, 'aws');
    expect(feas.settled).toMatchObject({ strategy: 'vm', rule: 'local-state' });
    expect(feas.excluded.kubernetes?.rule).toBe('local-state');
  });

  it('a worker beside the app, by command or by its Dockerfile, still settles a cluster', () => {
    const byCommand = analyzeRepository(snapshot({ ...flask, Dockerfile: image, 'docker-compose.yml': compose('  web:\n    build: .\n  tasks:\n    build: .\n    command: celery -A app worker\n') }));
    expect(byCommand.services?.map((s) => [s.name, s.role])).toEqual([['tasks', true], ['web', false]]);
    expect(feasibility(byCommand, 'aws').settled?.rule).toBe('multi-service');
    const byDockerfile = analyzeRepository(snapshot({
      ...flask, Dockerfile: image, 'Dockerfile.worker': 'FROM python:3.12\nCOPY . .\nCMD ["python", "consume.py"]\n',
      'docker-compose.yml': compose('  web:\n    build: .\n  second:\n    build:\n      context: .\n      dockerfile: Dockerfile.worker\n'),
    }));
    expect(feasibility(byDockerfile, 'aws').settled?.rule).toBe('multi-service');
  });

  it('two Dockerfiles of one folder, or two app folders, are two builds: a cluster', () => {
    const twoFiles = analyzeRepository(snapshot({
      ...flask, 'Dockerfile.backend': image, 'Dockerfile.frontend': 'FROM node:20 AS build\nCOPY . .\nRUN npm run build\nFROM nginx\nCOPY --from=build /app/dist /usr/share/nginx/html\n',
      'docker-compose.yml': compose('  backend:\n    build:\n      context: .\n      dockerfile: Dockerfile.backend\n  frontend:\n    build:\n      context: .\n      dockerfile: Dockerfile.frontend\n'),
    }));
    expect(new Set(twoFiles.services?.map((s) => s.build)).size).toBe(twoFiles.services?.length);
    expect(onePairOfOneBuild(twoFiles.services ?? [])).toBe(false);
    const folders = analyzeRepository(snapshot({
      'api/requirements.txt': 'flask==3.0.0\n', 'api/app.py': 'from flask import Flask\n', 'api/Dockerfile': 'FROM python:3.12\nCOPY . .\nCMD ["flask", "run"]\n',
      'web/package.json': JSON.stringify({ dependencies: { express: '4.0.0' }, scripts: { start: 'node index.js' } }), 'web/index.js': '', 'web/Dockerfile': 'FROM node:20\nCOPY . .\nCMD ["node", "index.js"]\n',
      'docker-compose.yml': compose('  api:\n    build: ./api\n  web:\n    build: ./web\n'),
    }));
    expect(new Set(folders.services?.map((s) => s.build)).size).toBe(2);
    expect(feasibility(folders, 'aws').settled?.rule).toBe('multi-service');
  });

  it('a service running the image another one builds (with a command of its own) runs that build', () => {
    const a = analyzeRepository(snapshot({ ...flask, Dockerfile: image, 'docker-compose.yml': compose('  app:\n    build: .\n    image: myapp\n  app-tls:\n    image: myapp\n    command: gunicorn app:app --certfile c.pem\n') }));
    expect(a.services?.map((s) => s.build)).toEqual(['compose:|Dockerfile|', 'compose:|Dockerfile|']);
  });

  it('Procfile and fly.toml process types: web beside a worker is a cluster, beside a second server of the image is not settled as one', () => {
    const files = (extra: Record<string, string>) => snapshot({ 'package.json': JSON.stringify({ scripts: { start: 'node server.js' }, dependencies: { koa: '3.0.0', pg: '8.0.0' } }), 'server.js': '', ...extra });
    expect(feasibility(analyzeRepository(files({ Procfile: 'web: node server.js\nworker: node jobs.js\n' })), 'aws').settled?.rule).toBe('multi-service');
    expect(feasibility(analyzeRepository(files({ Procfile: 'web: node server.js\nadmin: node server.js --admin\n' })), 'aws').settled).toBeUndefined();
    const fly = analyzeRepository(files({ 'fly.toml': 'app = "x"\n[processes]\napp = "node server.js"\nadmin = "node server.js --admin"\n' }));
    expect(fly.services?.map((s) => [s.name, s.build, s.role])).toEqual([['app', 'fly.toml', false], ['admin', 'fly.toml', false]]);
    expect(feasibility(fly, 'aws').settled).toBeUndefined();
  });

  it('three services of one build with no role still settle a cluster (rule 3 accepts only a cluster for three)', () => {
    const services = ['a', 'b', 'c'].map((name) => ({ name, source: `docker-compose.yml:${name}`, build: 'compose:|Dockerfile|', role: false }));
    expect(onePairOfOneBuild(services)).toBe(false);
    expect(onePairOfOneBuild(services.slice(0, 2))).toBe(true);
    // An unknown build is never taken for the same one.
    expect(onePairOfOneBuild([{ name: 'a', source: 's' }, { name: 'b', source: 's' }])).toBe(false);
  });
});
