// Round 20: data kept on local disk by the app's own storage setting: a JSON config's storage engine, or a Go
// flag's default data folder, on small synthetic repositories.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const scheduler = (storage: string) => ({
  'package.json': JSON.stringify({ name: 'scheduler', main: 'lib/main.js', dependencies: { 'pixl-server': '^1.0.45', 'pixl-server-storage': '^4.0.2', 'pixl-server-web': '^2.0.16' } }),
  'lib/main.js': "var PixlServer = require('pixl-server');\nvar server = new PixlServer({ components: [require('pixl-server-storage'), require('pixl-server-web')] });\nserver.startup();\n",
  'sample_conf/config.json': `{\n\t"base_app_url": "http://localhost:3012",\n\t"Storage": {\n\t\t${storage},\n\t\t"list_page_size": 50,\n\t\t"Filesystem": {\n\t\t\t"base_dir": "data"\n\t\t}\n\t},\n\t"WebServer": {\n\t\t"http_port": 3012\n\t}\n}\n`,
});

describe('JSON config storage engine', () => {
  it('reads a storage object whose engine is the filesystem as data on local disk', () => {
    const a = analyzeRepository(snapshot(scheduler('"engine": "Filesystem"')));
    expect(a.localState).toEqual([{ name: 'data on local disk (the app config stores it on the filesystem)', source: 'sample_conf/config.json:3' }]);
  });

  it('does not when the storage engine is an object store', () => {
    const a = analyzeRepository(snapshot(scheduler('"engine": "S3"')));
    expect(a.localState).toEqual([]);
  });
});

const goMod = 'module example.com/uploads\n\ngo 1.22\n\nrequire (\n\tgithub.com/aws/aws-sdk-go-v2/service/s3 v1.104.1\n)\n';
const uploadServer = (flags: string) => ({
  'go.mod': goMod,
  'cmd/server/main.go': `package main\n\nimport (\n\t"flag"\n\t"net/http"\n)\n\nvar uploadDir, bucket string\n\nfunc main() {\n${flags}\tflag.StringVar(&bucket, "s3-bucket", "", "Use an S3 bucket instead of the upload folder")\n\tflag.Parse()\n\thttp.ListenAndServe(":8080", nil)\n}\n`,
  Dockerfile: 'FROM golang:1.22 AS build\nCOPY . .\nRUN go build -o /server ./cmd/server\nFROM alpine\nCOPY --from=build /server /server\nEXPOSE 8080\nCMD ["/server"]\n',
});

describe('Go flag with a local data folder default', () => {
  it('reads the upload folder flag default as the store, and the S3 client as its option', () => {
    const a = analyzeRepository(snapshot(uploadServer('\tflag.StringVar(&uploadDir, "upload-dir", "./data", "Directory to store uploads in")\n')));
    expect(a.localState).toEqual([{ name: 'data on local disk (flag -upload-dir default ./data)', source: 'cmd/server/main.go:11' }]);
    expect(a.stateful).toEqual([]);
  });

  it('reads a pflag with a shorthand before its default', () => {
    const a = analyzeRepository(snapshot(uploadServer('\tpflag.StringVarP(&uploadDir, "media-dir", "m", "/var/lib/media", "Media folder")\n')));
    expect(a.localState).toEqual([{ name: 'data on local disk (flag -media-dir default /var/lib/media)', source: 'cmd/server/main.go:11' }]);
  });

  it('does not for the data-path scratch folder of a demo server', () => {
    const a = analyzeRepository(snapshot(uploadServer('\tfs.String("data-path", "/data", "data local path")\n')));
    expect(a.localState).toEqual([]);
  });

  it('does not for a cache folder flag, an empty default, or a flag of an example', () => {
    const cache = analyzeRepository(snapshot(uploadServer('\tflag.StringVar(&uploadDir, "upload-dir", "/var/cache/app", "Cache")\n')));
    expect(cache.localState).toEqual([]);
    expect(cache.stateful).toEqual(['s3']);
    const empty = analyzeRepository(snapshot(uploadServer('\tflag.StringVar(&uploadDir, "upload-dir", "", "Upload folder")\n')));
    expect(empty.localState).toEqual([]);
    const shorthand = analyzeRepository(snapshot(uploadServer('\tpflag.StringVarP(&uploadDir, "upload-dir", "u", "", "Upload folder")\n')));
    expect(shorthand.localState).toEqual([]);
    const example = analyzeRepository(snapshot({ ...uploadServer(''), 'examples/local/main.go': 'package main\n\nimport "flag"\n\nvar dir = flag.String("upload-dir", "./data", "uploads")\n' }));
    expect(example.localState).toEqual([]);
  });
});
