// A .NET app that opens its database with a SQLite connection of its own (System.Data.SQLite's
// `new SQLiteConnectionStringBuilder { DataSource = dbPath }`, Microsoft.Data.Sqlite's `new SqliteConnection(…)`)
// rather than EF Core's UseSqlite: the database is a file on the server's disk.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const csproj = '<Project Sdk="Microsoft.NET.Sdk.Web">\n  <PropertyGroup>\n    <TargetFramework>net8.0</TargetFramework>\n  </PropertyGroup>\n  <ItemGroup>\n    <PackageReference Include="Dapper" Version="2.1.66" />\n  </ItemGroup>\n</Project>\n';
const app = (open: string) => analyzeRepository(snapshot({
  'App.csproj': csproj,
  'Program.cs': 'var builder = WebApplication.CreateBuilder(args);\nvar app = builder.Build();\napp.Run();\n',
  'Datastore/ConnectionStringFactory.cs': `public class ConnectionStringFactory\n{\n    public string Main(string dbPath)\n    {\n${open}\n    }\n}\n`,
}));

describe('a SQLite connection the .NET code builds itself', () => {
  it('keeps the database on local disk', () => {
    expect(app('        var builder = new SQLiteConnectionStringBuilder\n        {\n            DataSource = dbPath,\n        };\n        return builder.ConnectionString;').localState).toEqual([{ name: 'SQLite', source: 'Datastore/ConnectionStringFactory.cs:5' }]);
    expect(app('        using var conn = new SqliteConnection($"Data Source={dbPath}");\n        return conn.ConnectionString;').localState?.map((s) => s.name)).toEqual(['SQLite']);
  });

  it('is not local state when the connection is to a server', () => {
    expect(app('        using var conn = new SqlConnection(dbPath);\n        return conn.ConnectionString;').localState ?? []).toEqual([]);
  });
});
