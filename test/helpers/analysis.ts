// Hand-made analyses for decision tests (the analyser has its own fixture tests).
import type { Analysis } from '../../function/src/types.js';

export function analysis(over: Partial<Analysis> = {}): Analysis {
  return {
    kind: 'web',
    language: 'python',
    languageVersion: '3.12',
    framework: 'fastapi',
    dependencies: [{ name: 'fastapi', version: '0.115.0' }, { name: 'uvicorn', version: '0.30.0' }],
    port: 8000,
    hasDockerfile: false,
    hasCompose: false,
    stateful: [],
    backgroundJobs: [],
    evidence: [],
    ...over,
  };
}

export function deps(n: number): Analysis['dependencies'] {
  return Array.from({ length: n }, (_, i) => ({ name: `dep${String(i).padStart(3, '0')}`, version: '1.0.0' }));
}
