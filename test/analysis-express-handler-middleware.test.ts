// Round 9: an Express middleware exported as `handler` is not a Lambda handler, on small synthetic repositories.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const server = { 'package.json': JSON.stringify({ name: 'api', dependencies: { express: '^4.19.0' }, scripts: { start: 'node dist/index.js' } }), 'src/index.ts': "import express from 'express';\nconst app = express();\napp.listen(3000);\n" };

describe('handler exports', () => {
  it('does not read a (req, res, next) middleware named handler as a Lambda handler', () => {
    const middleware = "import type { Request, Response, NextFunction } from 'express';\n\nexport const handler = async (req: Request, _res: Response, next: NextFunction) => {\n  next();\n};\n";
    expect(analyzeRepository(snapshot({ ...server, 'src/middleware/authenticate.ts': middleware })).serverlessAdapter).toBeUndefined();
    expect(analyzeRepository(snapshot({ ...server, 'src/routes/health.ts': 'export async function handler(req, res) {\n  res.send("ok");\n}\n' })).serverlessAdapter).toBeUndefined();
  });

  it('still reads an (event) export as a Lambda handler', () => {
    const lambda = 'export const handler = async (event: APIGatewayProxyEvent) => {\n  return { statusCode: 200, body: "ok" };\n};\n';
    expect(analyzeRepository(snapshot({ ...server, 'src/lambda.ts': lambda })).serverlessAdapter).toEqual({ name: 'a Lambda handler', source: 'src/lambda.ts:1' });
    expect(analyzeRepository(snapshot({ ...server, 'src/lambda.js': 'exports.handler = async function (event, context) {\n  return {};\n};\n' })).serverlessAdapter?.name).toBe('a Lambda handler');
  });
});
