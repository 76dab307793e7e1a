// Round 20: a cache or broker whose every setting the code names sits under a feature switch that is off by default
// (the image's `ENV X_ENABLED=false`, or Go's `envDefault:"false"`): the store serves an opt-in feature, not the deployment.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { storesSwitchedOff } from '../function/src/analysis/stateful.js';
import { snapshot } from './helpers/snapshot.js';

const goMod = 'module example.com/flags\n\ngo 1.22\n\nrequire (\n\tgithub.com/IBM/sarama v1.43.0\n\tgorm.io/gorm v1.25.0\n\tgithub.com/glebarez/sqlite v1.11.0\n)\n';
const dockerfile = 'FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /flags ./cmd/server\n\nFROM alpine:3.20\nCOPY --from=build /flags /flags\nENV PORT=18000\nENV FLAGS_DB_DRIVER=sqlite3\nENV FLAGS_RECORDER_ENABLED=false\nEXPOSE 18000\nCMD ["/flags"]\n';
const env = 'package config\n\nvar Config = struct {\n\tRecorderEnabled bool `env:"FLAGS_RECORDER_ENABLED" envDefault:"false"`\n\tRecorderKafkaBrokers string `env:"FLAGS_RECORDER_KAFKA_BROKERS" envDefault:":9092"`\n\tRecorderKafkaTopic string `env:"FLAGS_RECORDER_KAFKA_TOPIC" envDefault:"records"`\n}{}\n';
const main = 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":18000", nil) }\n';
const app = (extra: Record<string, string> = {}) => analyzeRepository(snapshot({ 'go.mod': goMod, Dockerfile: dockerfile, 'cmd/server/main.go': main, 'pkg/config/env.go': env, ...extra }));

describe('stores switched off by default', () => {
  it('leaves out Kafka when every Kafka setting sits under a recorder switch the image turns off', () => {
    const a = app();
    expect(a.stateful).toEqual([]);
    expect(a.evidence).toContainEqual({ fact: 'optional kafka: every setting of it the code names sits under a feature switch that is off by default', source: 'Dockerfile:10' });
  });

  it('reads the switch from Go\'s env default when the image says nothing, and ignores a test suite\'s compose file', () => {
    const a = app({ Dockerfile: dockerfile.replace('ENV FLAGS_RECORDER_ENABLED=false\n', ''), 'integration_tests/docker-compose.yml': 'services:\n  flags:\n    build: ..\n    environment:\n      FLAGS_RECORDER_ENABLED: "true"\n' });
    expect(a.stateful).toEqual([]);
    expect(a.evidence).toContainEqual({ fact: 'optional kafka: every setting of it the code names sits under a feature switch that is off by default', source: 'pkg/config/env.go:4' });
  });

  it('keeps Kafka when the switch is on, or a setting of it sits outside the switch', () => {
    expect(app({ Dockerfile: dockerfile.replace('FLAGS_RECORDER_ENABLED=false', 'FLAGS_RECORDER_ENABLED=true') }).stateful).toEqual(['kafka']);
    expect(app({ 'docker-compose.yml': 'services:\n  flags:\n    build: .\n    environment:\n      - FLAGS_RECORDER_ENABLED=true\n' }).stateful).toEqual(['kafka']);
    expect(app({ 'pkg/config/events.go': 'package config\n\nvar Events = struct {\n\tBrokers string `env:"FLAGS_EVENTS_KAFKA_BROKERS"`\n}{}\n' }).stateful).toEqual(['kafka']);
  });

  it('does not take an unrelated switch for the store\'s (a Redis cache beside an off switch of another feature)', () => {
    const s = snapshot({ 'cmd/server/main.go': 'package main\n\nvar cfg = struct {\n\tMetrics bool `env:"APP_METRICS_ENABLED" envDefault:"false"`\n\tRedis string `env:"APP_REDIS_URL"`\n}{}\n' });
    expect(storesSwitchedOff(s, undefined, 'go', [{ value: 'redis', source: 'go.mod:5' }])).toEqual([]);
  });

  it('runs in linear time on a long line', () => {
    const long = `env:"${'A'.repeat(100_000)}`;
    const s = snapshot({ 'main.go': `${long}\n`, Dockerfile: `ENV ${'B'.repeat(100_000)} ${' '.repeat(100_000)}\n` });
    const t = Date.now();
    storesSwitchedOff(s, { path: 'Dockerfile', images: [], volumes: [], copied: [] }, 'go', [{ value: 'kafka', source: 'go.mod:5' }]);
    expect(Date.now() - t).toBeLessThan(1000);
  });
});
