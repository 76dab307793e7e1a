// An ASP.NET Core app with no Dockerfile listens where Kestrel does by itself, http://localhost:5000; the 8080 of .NET 8
// (and the 80 before it) is what Microsoft's container images set (ASPNETCORE_HTTP_PORTS), so it needs such an image.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const csproj = '<Project Sdk="Microsoft.NET.Sdk.Web">\n  <PropertyGroup>\n    <TargetFramework>net8.0</TargetFramework>\n  </PropertyGroup>\n</Project>\n';
const app = (files: Record<string, string> = {}) =>
  analyzeRepository(snapshot({
    'Web.csproj': csproj,
    'Program.cs': 'var builder = WebApplication.CreateBuilder(args);\nvar app = builder.Build();\napp.MapGet("/", () => "hi");\napp.Run();\n',
    ...files,
  }));
const image = (runtime: string) => `FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nCOPY . .\nRUN dotnet publish -o /out\nFROM mcr.microsoft.com/dotnet/aspnet:${runtime}\nCOPY --from=build /out .\nENTRYPOINT ["dotnet", "Web.dll"]\n`;

describe("Kestrel's default port", () => {
  it('is 5000 with no Dockerfile', () => {
    const a = app();
    expect(a.port).toBe(5000);
    expect(a.evidence.find((e) => e.fact === 'port 5000')?.source).toBe('rule:aspnet-core-default-port');
  });

  it("is the Microsoft image's port when the repository builds on one", () => {
    expect(app({ Dockerfile: image('8.0') }).port).toBe(8080);
    expect(app({ Dockerfile: image('6.0') }).port).toBe(80);
  });

  it('does not override a port the repository sets', () => {
    const launch = '{\n  "profiles": {\n    "http": {\n      "commandName": "Project",\n      "applicationUrl": "http://localhost:5123"\n    }\n  }\n}\n';
    expect(app({ 'Properties/launchSettings.json': launch }).port).toBe(5123);
  });
});
