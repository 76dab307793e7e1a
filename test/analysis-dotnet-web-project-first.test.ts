// A .NET solution under src/ of class libraries and one ASP.NET Core host (`src/App.Common`, `src/App.Core`,
// `src/App.Host` with Sdk.Web), beside a root package.json that only builds the front-end: the host project
// is the app, so the language is .NET and the framework ASP.NET Core, not the webpack watcher's Node.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const library = (refs: string) => `<Project Sdk="Microsoft.NET.Sdk">\n  <PropertyGroup>\n    <TargetFrameworks>net8.0</TargetFrameworks>\n  </PropertyGroup>\n  <ItemGroup>\n${refs}  </ItemGroup>\n</Project>\n`;
const host = '<Project Sdk="Microsoft.NET.Sdk.Web">\n  <PropertyGroup>\n    <TargetFrameworks>net8.0</TargetFrameworks>\n  </PropertyGroup>\n</Project>\n';
const files = (hostSdk: string) => ({
  'package.json': JSON.stringify({ name: 'indexer', scripts: { build: 'webpack --config ./frontend/build/webpack.config.js', start: 'webpack --watch --config ./frontend/build/webpack.config.js' }, devDependencies: { webpack: '5.94.0' } }),
  'frontend/src/index.js': "import React from 'react';\n",
  'src/App.Common/App.Common.csproj': library('    <PackageReference Include="Newtonsoft.Json" Version="13.0.4" />\n'),
  'src/App.Core/App.Core.csproj': library('    <PackageReference Include="Dapper" Version="2.1.66" />\n'),
  'src/App.Host/App.Host.csproj': host.replace('Microsoft.NET.Sdk.Web', hostSdk),
  'src/App.Host/Startup.cs': 'public class Startup {\n  public void Configure(IApplicationBuilder app) { app.UseRouting(); }\n}\n',
});

describe('the ASP.NET Core project of a solution of libraries', () => {
  it('is the app, ahead of the libraries listed before it', () => {
    const a = analyzeRepository(snapshot(files('Microsoft.NET.Sdk.Web')));
    expect(a).toMatchObject({ language: 'dotnet', framework: 'aspnet-core', kind: 'web' });
    expect(a.evidence.find((e) => e.fact === 'language dotnet')?.source).toBe('src/App.Host/App.Host.csproj');
  });

  it('leaves the order alone when no project is a web host', () => {
    const a = analyzeRepository(snapshot(files('Microsoft.NET.Sdk')));
    expect(a.framework ?? null).toBeNull();
  });
});
