// A folder holding nothing but a few sibling apps that each build their own image (`editor/` and `renderer/`, each with
// its go.mod and Dockerfile, the editor calling the renderer): the services of one system, deployed side by side.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const goApp = (dir: string): Record<string, string> => ({
  [`${dir}/go.mod`]: `module example.com/${dir}\n\ngo 1.22\n`,
  [`${dir}/main.go`]: 'package main\n\nimport (\n\t"net/http"\n\t"os"\n)\n\nfunc main() {\n\tport := os.Getenv("PORT")\n\tif port == "" {\n\t\tport = "8080"\n\t}\n\thttp.ListenAndServe(":"+port, nil)\n}\n',
  [`${dir}/Dockerfile`]: 'FROM golang:1.22 AS build\nWORKDIR /app\nCOPY . .\nRUN go build -o server\nFROM gcr.io/distroless/base\nCOPY --from=build /app/server /server\nCMD ["/server"]\n',
});

describe('sibling apps that each build their own image', () => {
  it('are the services of one system', () => {
    const a = analyzeRepository(snapshot({ 'README.md': '# Two services\n', ...goApp('editor'), ...goApp('renderer') }));
    expect((a.services ?? []).map((s) => s.name)).toEqual(['editor', 'renderer']);
    expect(a.kind).toBe('web');
    expect(a.language).toBe('go');
  });

  it('are not when the root has code of its own', () => {
    const a = analyzeRepository(snapshot({ 'main.go': 'package main\n\nfunc main() {}\n', ...goApp('editor'), ...goApp('renderer') }));
    expect(a.services?.length ?? 0).toBeLessThan(2);
  });

  it('are a collection, not one system, past a few folders', () => {
    const a = analyzeRepository(snapshot(Object.assign({}, ...['a', 'b', 'c', 'd', 'e'].map(goApp)) as Record<string, string>));
    expect(a.services?.length ?? 0).toBeLessThan(2);
  });

  it('need their own Dockerfile each', () => {
    const { 'renderer/Dockerfile': _, ...files } = { ...goApp('editor'), ...goApp('renderer') };
    const a = analyzeRepository(snapshot(files));
    expect(a.services?.length ?? 0).toBeLessThan(2);
  });
});
