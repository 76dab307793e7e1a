// A gin app configured by an INI file (conf/app.ini): its [database] section names the server engine it connects to,
// and a handler saving the request's file to a path (c.SaveUploadedFile) keeps uploads on local disk.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const app = (ini: string, handler = 'func Ping(c *gin.Context) { c.JSON(200, nil) }\n') => snapshot({
  'go.mod': 'module example.com/blog\n\ngo 1.22\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.9.1\n\tgithub.com/jinzhu/gorm v1.9.16\n)\n',
  'main.go': 'package main\n\nimport "github.com/gin-gonic/gin"\n\nfunc main() {\n\tr := gin.Default()\n\tr.Run(":8000")\n}\n',
  'api/handlers.go': `package api\n\nimport "github.com/gin-gonic/gin"\n\n${handler}`,
  'conf/app.ini': ini,
});

describe('INI database section', () => {
  it('names the server engine the app connects to', () => {
    const a = analyzeRepository(app('[server]\nHttpPort = 8000\n\n[database]\nType = mysql\nHost = 127.0.0.1:3306\n'));
    expect(a.stateful).toEqual(['mysql']);
    expect(a.evidence.filter((e) => e.fact === 'stateful mysql').map((e) => e.source)).toEqual(['conf/app.ini:4']);
  });

  it('leaves SQLite and commented-out choices alone', () => {
    expect(analyzeRepository(app('[database]\n# Either "mysql" or "sqlite3"\ntype = sqlite3\n\n[redis]\ntype = mysql\n')).stateful).toEqual([]);
  });
});

describe('gin uploads', () => {
  it('a handler saving the uploaded file to a path keeps uploads on local disk', () => {
    const save = 'func Upload(c *gin.Context) {\n\tf, _ := c.FormFile("image")\n\tc.SaveUploadedFile(f, "runtime/upload/"+f.Filename)\n}\n';
    expect(analyzeRepository(app('[database]\nType = mysql\n', save)).localState?.map((s) => s.source)).toEqual(['api/handlers.go:7']);
    expect(analyzeRepository(app('[database]\nType = mysql\n')).localState).toEqual([]);
  });
});
