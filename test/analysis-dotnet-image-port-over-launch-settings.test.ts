// Properties/launchSettings.json is read by `dotnet run` (the IDE's dev profiles) only. An ASP.NET Core app
// published into Microsoft's aspnet image listens on the port the image sets (80 up to .NET 7, 8080 from .NET 8),
// so the dev profile's port does not apply to it; with no such image, the profile's port stands.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const csproj = '<Project Sdk="Microsoft.NET.Sdk.Web">\n  <PropertyGroup>\n    <TargetFramework>net8.0</TargetFramework>\n  </PropertyGroup>\n</Project>\n';
const launch = '{\n  "profiles": {\n    "Shop": {\n      "commandName": "Project",\n      "applicationUrl": "https://localhost:49206;http://localhost:49208"\n    }\n  }\n}\n';
const app = (files: Record<string, string> = {}) =>
  analyzeRepository(snapshot({
    'src/Shop/Shop.csproj': csproj,
    'src/Shop/Program.cs': 'var builder = WebApplication.CreateBuilder(args);\nvar app = builder.Build();\napp.Run();\n',
    'src/Shop/Properties/launchSettings.json': launch,
    ...files,
  }));
const image = (base: string) => `FROM mcr.microsoft.com/dotnet/sdk:8.0 AS build\nCOPY . .\nRUN dotnet publish src/Shop -o /out\nFROM ${base}\nWORKDIR /app\nCOPY --from=build /out .\nENTRYPOINT ["/docker-entrypoint.sh"]\n`;

describe('launchSettings.json beside an image built on Microsoft’s ASP.NET image', () => {
  it("gives way to the image's port", () => {
    expect(app({ Dockerfile: image('mcr.microsoft.com/dotnet/aspnet:5.0') }).port).toBe(80);
    expect(app({ Dockerfile: image('mcr.microsoft.com/dotnet/aspnet:8.0') }).port).toBe(8080);
  });

  it('stands with no Dockerfile, or an image of another base', () => {
    expect(app().port).toBe(49208);
    expect(app({ Dockerfile: image('debian:bookworm-slim') }).port).toBe(49208);
  });
});
