// An S3-compatible server (MinIO) in the compose file is a store of the app when a service of the file waits for it;
// a MinIO nothing depends on, or only a bucket tool (minio/mc) does, is a helper beside the stack.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const app = {
  'Cargo.toml': '[package]\nname = "api"\n\n[dependencies]\nactix-web = "4"\nredis = "1"\n',
  'src/main.rs': 'use actix_web::{App, HttpServer};\n#[actix_web::main]\nasync fn main() { HttpServer::new(|| App::new()).bind("0.0.0.0:8000").unwrap().run().await.unwrap(); }\n',
  Dockerfile: 'FROM rust:1\nCOPY . .\nRUN cargo build --release\nEXPOSE 8000\nCMD ["./target/release/api"]\n',
};
const compose = (appDependsOn: string, extra = '') => `services:
  redis:
    image: redis:7
  minio:
    image: minio/minio:latest
    command: server /data
${extra}  api:
    build: .
    environment:
      API_BUCKET_ENDPOINT: http://minio:9000
    depends_on:
${appDependsOn}`;

describe('compose object store', () => {
  it('a MinIO server the app service depends on is s3', () => {
    const a = analyzeRepository(snapshot({ ...app, 'docker-compose.yml': compose('      - redis\n      - minio\n') }));
    expect(a.stateful).toEqual(['redis', 's3']);
    expect(a.evidence.filter((e) => e.fact === 'stateful s3').map((e) => e.source)).toEqual(['docker-compose.yml:5']);
  });

  it('a MinIO nothing but a bucket tool depends on is not', () => {
    const tool = '  createbuckets:\n    image: minio/mc\n    depends_on:\n      - minio\n';
    expect(analyzeRepository(snapshot({ ...app, 'docker-compose.yml': compose('      - redis\n', tool) })).stateful).toEqual(['redis']);
  });
});
