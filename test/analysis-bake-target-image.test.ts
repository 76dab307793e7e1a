// Round 24: a packaging repository whose compose file pulls the image its Docker Buildx Bake file builds
// (frappe_docker: `image: ${CUSTOM_IMAGE:-frappe/erpnext}:…`, docker-bake.hcl `target "erpnext" { dockerfile =
// "images/production/Containerfile" }`) runs its own image as several services (backend, workers, scheduler): they are
// first-party, and one app's processes, not a system of app folders. A pulled image of another owner is not taken for a target.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const compose = (image: string) =>
  [
    'x-image: &image',
    `  image: ${image}`,
    'services:',
    '  backend:',
    '    <<: *image',
    '  worker:',
    '    <<: *image',
    '    command: bench worker --queue default',
    '  scheduler:',
    '    <<: *image',
    '    command: bench schedule',
    '',
  ].join('\n');
const bake = [
  'variable "REGISTRY_USER" {',
  '    default = "frappe"',
  '}',
  'target "bench" {',
  '    context = "images/bench"',
  '    tags = ["frappe/bench:latest"]',
  '}',
  'target "erpnext" {',
  '    args = {',
  '        GIT_REPO = "${ERPNEXT_REPO}"',
  '    }',
  '    context = "."',
  '    dockerfile = "images/production/Containerfile"',
  '    tags = tag("erpnext", "${ERPNEXT_VERSION}")',
  '}',
  '',
].join('\n');
const repo = (image: string) =>
  analyzeRepository(snapshot({
    'compose.yaml': compose(image),
    'docker-bake.hcl': bake,
    'images/bench/Dockerfile': 'FROM debian:bookworm-slim AS bench\nRUN pip install frappe-bench\nEXPOSE 8000-8005 9000-9005 6787\nFROM bench AS bench-test\n',
    'images/production/Containerfile': 'FROM python:3.12-slim\nRUN bench init frappe-bench\nVOLUME [ "/home/frappe/frappe-bench/sites" ]\nENTRYPOINT ["/usr/local/bin/entrypoint.sh"]\nCMD ["start.sh"]\n',
  }));

describe('a compose file pulling the image a bake target builds', () => {
  it('runs first-party services from the Dockerfile of that target', () => {
    const a = repo('${CUSTOM_IMAGE:-frappe/erpnext}:${CUSTOM_TAG:-$ERPNEXT_VERSION}');
    expect((a.services ?? []).map((s) => s.name)).toEqual(['backend', 'scheduler', 'worker']);
    expect(a.startCommand).toBe('/usr/local/bin/entrypoint.sh start.sh');
  });

  it("a pulled image of another owner is not the bake target's", () => {
    const a = repo('example/erpnext:15');
    expect(a.services ?? []).toEqual([]);
  });
});
