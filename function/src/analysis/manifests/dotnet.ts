// .NET project files (*.csproj at the root or one level down): SDK (Web, Worker, plain),
// TargetFramework, PackageReferences, OutputType.
import type { RepoSnapshot } from '../../types.js';
import { compare, ev } from '../evidence.js';
import type { DeclaredDependency, ManifestFacts } from '../model.js';
import { findLine, lineAt, loc } from '../text.js';

/** The project SDK of an ASP.NET Core app. */
const WEB_SDK = /<Project\s+Sdk="Microsoft\.NET\.Sdk\.Web"/;

/**
 * Project files, shallowest first; test projects (xunit/nunit style names) last; an ASP.NET Core project
 * (`Sdk="Microsoft.NET.Sdk.Web"`) before the rest: in a solution of libraries and a web host
 * (`src/Core`, `src/Common`, `src/Host`), the host is the app and the others are what it references.
 */
export function projectFiles(snapshot: RepoSnapshot): string[] {
  const isTest = (p: string) => /tests?\b/i.test(p);
  const isWeb = (p: string) => WEB_SDK.test(snapshot.files.get(p) ?? '');
  return [...snapshot.files.keys()]
    .filter((p) => p.endsWith('.csproj') || p.endsWith('.fsproj'))
    .filter((p) => p.split('/').length <= 3)
    .sort((a, b) => Number(isTest(a)) - Number(isTest(b)) || Number(isWeb(b)) - Number(isWeb(a)) || a.split('/').length - b.split('/').length || compare(a, b));
}

export function analyzeDotnet(snapshot: RepoSnapshot): ManifestFacts | null {
  const path = projectFiles(snapshot)[0];
  const text = path === undefined ? undefined : snapshot.files.get(path);
  if (path === undefined || text === undefined) return null;
  const facts: ManifestFacts = { language: 'dotnet', manifests: [path], dependencies: [], devDependencies: [], packageManager: { value: 'nuget', source: path }, notes: [] };
  const deps: DeclaredDependency[] = [];
  for (const m of text.matchAll(/<PackageReference\s+Include="([^"]+)"(?:\s+Version="([^"]+)")?/g)) {
    const dep: DeclaredDependency = { name: m[1] ?? '', source: loc(path, lineAt(text, m.index ?? 0)) };
    if (m[2]) dep.version = m[2];
    deps.push(dep);
  }
  facts.dependencies = deps.sort((a, b) => compare(a.name, b.name));
  const tfm = /<TargetFrameworks?>\s*net(?:coreapp)?(\d+\.\d+)/.exec(text);
  if (tfm?.[1]) facts.languageVersion = { value: tfm[1], source: loc(path, lineAt(text, tfm.index)) };
  const sdk = /<Project\s+Sdk="([^"]+)"/.exec(text);
  const sdkSource = loc(path, sdk ? lineAt(text, sdk.index) : undefined);
  const assembly = /<AssemblyName>([^<]+)</.exec(text)?.[1] ?? (path.split('/').pop() ?? 'app').replace(/\.[cf]sproj$/, '');
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '.';
  const publish = { value: `dotnet publish ${path} -c Release -o out`, source: 'rule:dotnet-publish-convention' };
  if (sdk?.[1] === 'Microsoft.NET.Sdk.Web') {
    const hint: { name: string; source: string; version?: string } = { name: 'aspnet-core', source: sdkSource };
    if (tfm?.[1]) hint.version = tfm[1];
    facts.frameworkHint = hint;
  }
  if (sdk?.[1] === 'Microsoft.NET.Sdk.Web' || sdk?.[1] === 'Microsoft.NET.Sdk.Worker' || /<OutputType>\s*(?:Win)?Exe\s*</.test(text)) {
    facts.runnable = { value: assembly, source: sdk?.[1]?.endsWith('.Web') || sdk?.[1]?.endsWith('.Worker') ? sdkSource : loc(path, findLine(text, '<OutputType>')) };
    facts.buildCommand = publish;
    facts.startCommand = { value: `dotnet out/${assembly}.dll`, source: 'rule:dotnet-publish-convention' };
  } else {
    facts.packageHint = ev(`package ${assembly} (class library)`, sdkSource);
  }
  if (dir !== '.') facts.notes.push(ev(`project ${path}`, path));
  return facts;
}
