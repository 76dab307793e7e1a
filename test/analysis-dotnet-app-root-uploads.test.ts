// An ASP.NET Core storage service that builds its folder on the host's ContentRootPath (or WebRootPath)
// and writes the uploaded files there (`new FileStream(path, FileMode.CreateNew)`): the files live on the
// server's disk, even when the records are in MySQL.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const csproj = '<Project Sdk="Microsoft.NET.Sdk.Web">\n  <PropertyGroup>\n    <TargetFramework>net8.0</TargetFramework>\n  </PropertyGroup>\n  <ItemGroup>\n    <PackageReference Include="Pomelo.EntityFrameworkCore.MySql" Version="8.0.2" />\n  </ItemGroup>\n</Project>\n';
const storage = (root: string, write: string) =>
  `public class LocalStorage(IHostEnvironment env)\n{\n  private readonly string _root = Path.Combine(env.${root});\n\n  public async Task SaveAsync(string name, Stream stream)\n  {\n    var path = Path.Combine(_root, name);\n${write}\n  }\n}\n`;
const app = (root: string, write: string) =>
  analyzeRepository(snapshot({
    'src/Blog/Blog.csproj': csproj,
    'src/Blog/Program.cs': 'var builder = WebApplication.CreateBuilder(args);\nbuilder.Services.AddDbContext<AppDb>(o => o.UseMySql(cs, version));\nvar app = builder.Build();\napp.Run();\n',
    'src/Blog/Storage/LocalStorage.cs': storage(root, write),
  }));

describe('files written under the ASP.NET Core app root', () => {
  it('keeps the uploads on local disk', () => {
    const a = app('ContentRootPath, "App_Data/uploads"', '    using var file = new FileStream(path, FileMode.CreateNew);\n    await stream.CopyToAsync(file);');
    expect(a.stateful).toEqual(['mysql']);
    expect(a.localState).toEqual([{ name: 'uploads on local disk (files written under the app root)', source: 'src/Blog/Storage/LocalStorage.cs:3' }]);
    expect(app('WebRootPath, Constants.MediaFolder', '    await File.WriteAllBytesAsync(path, bytes);').localState?.map((s) => s.source)).toEqual(['src/Blog/Storage/LocalStorage.cs:3']);
  });

  it('does not when the app only reads there, or writes a cache, logs or keys', () => {
    expect(app('WebRootPath, "Content"', '    using var file = new FileStream(path, FileMode.Open);\n    await file.CopyToAsync(stream);').localState ?? []).toEqual([]);
    expect(app('ContentRootPath, "cache"', '    await File.WriteAllBytesAsync(path, bytes);').localState ?? []).toEqual([]);
    expect(app('ContentRootPath, "App_Data", "DataProtection-Keys"', '    await File.WriteAllTextAsync(path, xml);').localState ?? []).toEqual([]);
  });
});
