// A Go app whose lock/pub-sub/cache providers default to their in-process implementations (`default:"inmemory"`) and
// whose Dockerfile, compose, env files and chart values never mention Redis: the go-redis client is what a scaled-out
// setup switches those providers to, not a store one instance needs.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const GO_MOD = 'module example.com/forge\n\ngo 1.22\n\nrequire (\n\tgithub.com/go-chi/chi/v5 v5.0.12\n\tgithub.com/redis/go-redis/v9 v9.5.1\n)\n';
const DOCKERFILE = 'FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /forge .\n\nFROM alpine\nCOPY --from=build /forge /app/forge\nEXPOSE 3000\nENTRYPOINT ["/app/forge", "server"]\n';
const MAIN = 'package main\n\nimport (\n\t"net/http"\n\n\t"github.com/go-chi/chi/v5"\n)\n\nfunc main() {\n\thttp.ListenAndServe(":3000", chi.NewRouter())\n}\n';
const app = (config: string, extra: Record<string, string> = {}) => snapshot({
  'go.mod': GO_MOD,
  Dockerfile: DOCKERFILE,
  'main.go': MAIN,
  'types/config.go': `package types\n\ntype Config struct {\n${config}\n}\n`,
  ...extra,
});
const PROVIDERS = '\tLock struct {\n\t\tProvider string `envconfig:"FORGE_LOCK_PROVIDER" default:"inmemory"`\n\t}\n\tRedis struct {\n\t\tEndpoint string `envconfig:"FORGE_REDIS_ENDPOINT" default:"localhost:6379"`\n\t}';

describe('Redis behind Go providers that default to in-process ones', () => {
  it('is optional when no deployment file mentions Redis', () => {
    const a = analyzeRepository(app(PROVIDERS));
    expect(a.stateful).toEqual([]);
    expect(a.evidence.some((e) => e.fact.startsWith('optional redis: the code\'s providers default to in-process ones') && e.source === 'types/config.go:5')).toBe(true);
    // A devcontainer installing Redis is the developer's box, not the deployment.
    expect(analyzeRepository(app(PROVIDERS, { '.devcontainer/Dockerfile': 'FROM mcr.microsoft.com/devcontainers/go\nRUN apt-get install -y redis-server\n' })).stateful).toEqual([]);
  });

  it('stays when a provider defaults to Redis, nothing defaults in-process, or a deployment file sets Redis up', () => {
    expect(analyzeRepository(app('\tProvider string `envconfig:"FORGE_LOCK_PROVIDER" default:"redis"`\n\tMode string `envconfig:"FORGE_EVENTS_MODE" default:"inmemory"`')).stateful).toEqual(['redis']);
    expect(analyzeRepository(app('\tEndpoint string `envconfig:"FORGE_REDIS_ENDPOINT" default:"localhost:6379"`')).stateful).toEqual(['redis']);
    expect(analyzeRepository(app(PROVIDERS, { '.env.example': 'FORGE_LOCK_PROVIDER=redis\nFORGE_REDIS_ENDPOINT=redis:6379\n' })).stateful).toEqual(['redis']);
    expect(analyzeRepository(app(PROVIDERS, { 'charts/forge/values.yaml': 'redis:\n  enabled: true\n' })).stateful).toEqual(['redis']);
  });
});
