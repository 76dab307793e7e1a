// A self-hosted ASP.NET Core server with no Dockerfile whose port comes from its own settings file, falling back to
// a named constant (`public const int DEFAULT_PORT = 9696;`, `GetValueInt("Port", DEFAULT_PORT)`): that constant is
// the port it listens on, not ASP.NET Core's default. A store's default port or a test project's is not.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const csproj = '<Project Sdk="Microsoft.NET.Sdk.Web">\n  <PropertyGroup>\n    <TargetFramework>net8.0</TargetFramework>\n  </PropertyGroup>\n</Project>\n';
const config = (constant: string) =>
  `namespace App.Configuration\n{\n    public class ConfigFileProvider\n    {\n        ${constant}\n\n        public int Port => GetValueInt("Port", DEFAULT_PORT);\n    }\n}\n`;
const app = (files: Record<string, string>) => analyzeRepository(snapshot({
  'src/App.Host/App.Host.csproj': csproj,
  'src/App.Host/Bootstrap.cs': 'public static class Bootstrap\n{\n    public static void Start(string[] args) { CreateHostBuilder(args).Build().Run(); }\n}\n',
  ...files,
}));

describe('a C# constant naming the default port', () => {
  it('is the port when nothing else sets one', () => {
    const a = app({ 'src/App.Core/Configuration/ConfigFileProvider.cs': config('public const int DEFAULT_PORT = 9696;') });
    expect(a.port).toBe(9696);
    expect(a.evidence.find((e) => e.fact === 'port 9696')?.source).toBe('src/App.Core/Configuration/ConfigFileProvider.cs:5');
    expect(app({ 'src/App.Core/Settings.cs': config('private static readonly int DefaultHttpPort = 5050;') }).port).toBe(5050);
  });

  it("is not a store's default, nor a test project's", () => {
    // (Kestrel's own default, with no image of the repository's.)
    expect(app({ 'src/App.Core/Configuration/ConfigFileProvider.cs': config('public const int DefaultPostgresPort = 5432;') }).port).toBe(5000);
    expect(app({ 'src/App.Host.Test/Fixture.cs': config('public const int DEFAULT_PORT = 9797;') }).port).toBe(5000);
  });
});
