// Round 19: a cache or broker named only by a client library, when the config file the app's image is built with (and
// every env file, compose file and the code's settings) leaves it out: the shipped configuration runs without it.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const goMod = 'module example.com/registry\n\ngo 1.22\n\nrequire (\n\tgithub.com/gorilla/mux v1.8.1\n\tgithub.com/redis/go-redis/v9 v9.5.1\n)\n';
const dockerfile = 'FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /registry ./cmd/registry\n\nFROM alpine:3.20\nCOPY cmd/registry/config-dev.yml /etc/registry/config.yml\nCOPY --from=build /registry /bin/registry\nVOLUME ["/var/lib/registry"]\nEXPOSE 5000\nENTRYPOINT ["registry"]\nCMD ["serve", "/etc/registry/config.yml"]\n';
const devConfig = 'version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: /var/lib/registry\nhttp:\n  addr: :5000\n';
const main = 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":5000", nil) }\n';
const registry = (extra: Record<string, string> = {}) => analyzeRepository(snapshot({ 'go.mod': goMod, Dockerfile: dockerfile, 'cmd/registry/main.go': main, 'cmd/registry/config-dev.yml': devConfig, 'cmd/registry/config-cache.yml': 'redis:\n  addr: localhost:6379\n', ...extra }));

describe('stores the image config leaves out', () => {
  it('leaves out a Redis client when the config file baked into the image does not mention Redis', () => {
    const a = registry();
    expect(a.stateful).toEqual([]);
    expect(a.evidence).toContainEqual({ fact: 'optional redis: only a client library names it; the config file the image is built with, the env and compose files and the code\'s settings do not', source: 'go.mod:7' });
  });

  it('keeps Redis when the baked config, an env template, a compose file or the code names it, or when no config is baked in', () => {
    expect(registry({ 'cmd/registry/config-dev.yml': `${devConfig}redis:\n  addr: redis:6379\n` }).stateful).toEqual(['redis']);
    expect(registry({ '.env.example': 'REDIS_ADDR=localhost:6379\n' }).stateful).toEqual(['redis']);
    expect(registry({ 'cmd/registry/cache.go': 'package main\n\nimport "os"\n\nvar addr = os.Getenv("REGISTRY_REDIS_ADDR")\n' }).stateful).toEqual(['redis']);
    expect(registry({ Dockerfile: dockerfile.replace('COPY cmd/registry/config-dev.yml /etc/registry/config.yml\n', '') }).stateful).toEqual(['redis']);
  });
});
