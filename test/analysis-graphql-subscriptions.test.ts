// GraphQL subscriptions switched on in a Node server's GraphQL config hold WebSocket connections open,
// though their transport library comes with the GraphQL module and is not declared.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const nest = {
  'package.json': JSON.stringify({ name: 'api', scripts: { start: 'node dist/main' }, dependencies: { '@nestjs/core': '^10', '@nestjs/graphql': '^12', '@nestjs/apollo': '^12', 'graphql-subscriptions': '^2' } }),
  'src/main.ts': "const app = await NestFactory.create(AppModule);\nawait app.listen(process.env.PORT || 4000);\n",
};
const module = (config: string) => `@Module({\n  imports: [\n    GraphQLModule.forRoot({\n      driver: ApolloDriver,\n${config}\n    }),\n  ],\n})\nexport class AppModule {}\n`;

describe('GraphQL subscriptions', () => {
  it('a graphql-ws or subscriptions-transport-ws transport, or installSubscriptionHandlers, is a long-lived connection', () => {
    const ws = analyzeRepository(snapshot({ ...nest, 'src/app.module.ts': module("      subscriptions: {\n        'graphql-ws': true,\n      },") }));
    expect(ws.longLived).toEqual([{ name: 'websockets (GraphQL subscriptions)', source: 'src/app.module.ts:6' }]);
    const legacy = analyzeRepository(snapshot({ ...nest, 'src/app.module.ts': module('      installSubscriptionHandlers: true,') }));
    expect(legacy.longLived?.map((l) => l.name)).toEqual(['websockets (GraphQL subscriptions)']);
  });

  it('queries only, a transport switched off or a commented-out one are not', () => {
    expect(analyzeRepository(snapshot({ ...nest, 'src/app.module.ts': module('      autoSchemaFile: true,') })).longLived).toEqual([]);
    expect(analyzeRepository(snapshot({ ...nest, 'src/app.module.ts': module("      subscriptions: { 'graphql-ws': false },") })).longLived).toEqual([]);
    expect(analyzeRepository(snapshot({ ...nest, 'src/app.module.ts': module('      // installSubscriptionHandlers: true,') })).longLived).toEqual([]);
  });
});
