// Round 22: an S3 client library nothing in the deployment configures (no bucket or endpoint in an env, compose,
// platform or Spring config file, no code reading one from the environment): the storage backend is picked at run
// time (an admin setting in the database, a backup destination added in the UI), so S3 is an option, not a need.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { unconfiguredObjectStore } from '../function/src/analysis/stateful.js';
import { snapshot } from './helpers/snapshot.js';

const goMod = 'module example.com/notes\n\ngo 1.22\n\nrequire (\n\tgithub.com/aws/aws-sdk-go-v2/service/s3 v1.58.0\n\tmodernc.org/sqlite v1.30.0\n\tgithub.com/labstack/echo/v4 v4.12.0\n)\n';
const dockerfile = 'FROM golang:1.22 AS build\nWORKDIR /src\nCOPY . .\nRUN go build -o /notes ./cmd/notes\n\nFROM alpine:3.20\nCOPY --from=build /notes /notes\nEXPOSE 8081\nCMD ["/notes"]\n';
const main = 'package main\n\nimport "github.com/labstack/echo/v4"\n\nfunc main() { e := echo.New(); e.Logger.Fatal(e.Start(":8081")) }\n';
// The bucket comes from a setting the admin saves in the app's database.
const storage = 'package storage\n\ntype S3Config struct {\n\tEndpoint string\n\tBucket string\n}\n\nfunc FromSetting(s *Setting) S3Config { return S3Config{Endpoint: s.Endpoint, Bucket: s.Bucket} }\n';
// The deployment's settings: the app alone, its SQLite file in a volume, no bucket.
const compose = 'services:\n  notes:\n    build: .\n    ports:\n      - "8081:8081"\n    volumes:\n      - ./data:/var/opt/notes\n';
const app = (extra: Record<string, string> = {}) => analyzeRepository(snapshot({ 'go.mod': goMod, Dockerfile: dockerfile, 'cmd/notes/main.go': main, 'internal/storage/s3.go': storage, 'compose.yaml': compose, ...extra }));

describe('an object store nothing configures', () => {
  it('leaves out S3 when only the client library names it and the bucket is a run-time setting', () => {
    const a = app();
    expect(a.stateful).toEqual([]);
    expect(a.evidence).toContainEqual({ fact: 'optional s3: only a client library names it; no env, compose, platform, app or Spring config file names a bucket and no code reads one from the environment', source: 'go.mod:6' });
  });

  it('ignores a development container\'s compose file that runs MinIO', () => {
    expect(app({ '.devcontainer/compose.yaml': 'services:\n  dev:\n    build: .\n  minio:\n    image: minio/minio\n' }).stateful).toEqual([]);
  });

  it('keeps S3 when an env template, a compose file, the app config or fly.toml names the bucket', () => {
    expect(app({ '.env.example': 'S3_BUCKET=notes\n' }).stateful).toEqual(['s3']);
    expect(app({ 'compose.yaml': `${compose}    environment:\n      - STORAGE_BUCKET=notes\n` }).stateful).toEqual(['s3']);
    expect(app({ 'config.yaml': 'db-type: sqlite\nstorage-backend: "s3"\n' }).stateful).toEqual(['s3']);
    expect(app({ 'fly.toml': 'app = "notes"\n[env]\n  AWS_ENDPOINT_URL_S3 = "https://fly.storage.tigris.dev"\n' }).stateful).toEqual(['s3']);
  });

  it('keeps S3 when the code reads the bucket from the environment', () => {
    expect(app({ 'internal/storage/env.go': 'package storage\n\nimport "os"\n\nvar bucket = os.Getenv("NOTES_S3_BUCKET")\n' }).stateful).toEqual(['s3']);
    const s = snapshot({ 'src/upload.ts': 'const bucket = process.env.AWS_BUCKET_NAME;\n' });
    expect(unconfiguredObjectStore(s, [{ value: 's3', source: 'package.json:9' }])).toBe(false);
  });

  it('keeps S3 when the repository ships no env, compose or platform file: the library is all there is to go by', () => {
    const s = snapshot({ 'go.mod': goMod, Dockerfile: dockerfile, 'cmd/notes/main.go': main, 'internal/storage/s3.go': storage });
    expect(unconfiguredObjectStore(s, [{ value: 's3', source: 'go.mod:6' }])).toBe(false);
  });

  it('says nothing without an object-store client', () => {
    expect(unconfiguredObjectStore(snapshot({}), [{ value: 'redis', source: 'go.mod:5' }])).toBe(false);
  });

  it('runs in linear time on a long line', () => {
    const s = snapshot({ '.env': `${'A'.repeat(100_000)}\n`, 'main.go': `os.Getenv("${'B'.repeat(100_000)}\n`, 'a.js': `${'process.env.'.repeat(10_000)}\n` });
    const t = Date.now();
    unconfiguredObjectStore(s, [{ value: 's3', source: 'go.mod:5' }]);
    expect(Date.now() - t).toBeLessThan(1000);
  });
});
