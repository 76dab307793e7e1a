// Jib builds a JVM app's container image from its build file, with no Dockerfile: the `container`
// block's entrypoint (and args) is the image's command, as a Dockerfile's ENTRYPOINT/CMD would be.
import type { RepoSnapshot } from '../types.js';
import type { DockerfileFacts } from './docker.js';
import { byDepthThenPath, isTestOrVendored } from './files.js';
import { lineAt, loc, withoutXmlComments } from './text.js';

const GRADLE_FILE = /(?:^|\/)[\w.-]+\.gradle(?:\.kts)?$/;
/** `entrypoint = ["bash", "-c", "/entrypoint.sh"]`, `entrypoint = listOf(…)`; `args` likewise. */
const gradleList = (key: string) => new RegExp(String.raw`\b${key}\s*(?:=\s*)?(?:\[([^\]]*)\]|(?:listOf|mutableListOf|arrayOf)\(([^)]*)\)|\(\s*\[([^\]]*)\]\s*\))`);
const quoted = (list: string): string[] => [...list.matchAll(/["']([^"']*)["']/g)].map((m) => m[1] ?? '');

/** Jib's keyword for the base image's own entrypoint: nothing declared here. */
const INHERIT = 'INHERIT';

function fromGradle(path: string, text: string): Omit<DockerfileFacts, 'path'> | undefined {
  const jib = /\bjib\s*\{/.exec(text);
  if (!jib) return undefined;
  const body = text.slice(jib.index);
  const entry = gradleList('entrypoint').exec(body);
  if (!entry) return undefined;
  const argv = quoted(entry[1] ?? entry[2] ?? entry[3] ?? '');
  if (argv.length === 0 || argv[0] === INHERIT) return undefined;
  const args = gradleList('args').exec(body);
  const command = [...argv, ...(args ? quoted(args[1] ?? args[2] ?? args[3] ?? '') : [])].join(' ');
  return { images: [], volumes: [], copied: [], command: { value: command, source: loc(path, lineAt(text, jib.index + entry.index)) } };
}

/** `<container><entrypoint><shell>bash</shell><option>-c</option><arg>/entrypoint.sh</arg></entrypoint>` (any item element names).
 *  Every jib-maven-plugin declaration is read: `<build><plugins>` often names the plugin bare while
 *  `<pluginManagement>` (which configures it wherever it is used) holds its `<container>` block. */
function fromPom(path: string, raw: string): Omit<DockerfileFacts, 'path'> | undefined {
  const text = withoutXmlComments(raw);
  for (const plugin of text.matchAll(/<artifactId>\s*jib-maven-plugin\s*<\/artifactId>/g)) {
    const rest = text.slice(plugin.index);
    const end = rest.indexOf('</plugin>');
    const block = end < 0 ? rest : rest.slice(0, end);
    const entry = /<entrypoint>([\s\S]*?)<\/entrypoint>/.exec(block);
    if (!entry) continue;
    const items = [...(entry[1] ?? '').matchAll(/<(\w+)>\s*([^<]*?)\s*<\/\1>/g)].map((m) => m[2] ?? '');
    const argv = items.length > 0 ? items : [(entry[1] ?? '').trim()].filter((s) => s !== '');
    if (argv.length === 0 || argv[0] === INHERIT) return undefined;
    const args = /<args>([\s\S]*?)<\/args>/.exec(block);
    const extra = args ? [...(args[1] ?? '').matchAll(/<(\w+)>\s*([^<]*?)\s*<\/\1>/g)].map((m) => m[2] ?? '') : [];
    const at = (index: number) => loc(path, lineAt(raw, plugin.index + index));
    // `<ports><port>8080</port>` and `<volumes><volume>/data</volume>`: what a Dockerfile's EXPOSE and VOLUME would say.
    const ports = /<ports>([\s\S]*?)<\/ports>/.exec(block);
    const port = ports ? /<port>\s*(\d+)(?:\/tcp)?\s*<\/port>/.exec(ports[1] ?? '') : null;
    const volumes = /<volumes>([\s\S]*?)<\/volumes>/.exec(block);
    return {
      images: [],
      copied: [],
      volumes: volumes ? [...(volumes[1] ?? '').matchAll(/<volume>\s*([^<]*?)\s*<\/volume>/g)].map((m) => ({ value: (m[1] ?? '').replace(/\/$/, ''), source: at(volumes.index) })) : [],
      ...(ports && port && Number(port[1]) > 0 && Number(port[1]) < 65536 ? { exposedPort: { value: Number(port[1]), source: at(ports.index) } } : {}),
      command: { value: [...argv, ...extra].join(' '), source: at(entry.index) },
    };
  }
  return undefined;
}

/** The image Jib builds for the app (its command), from the root pom.xml or a Gradle build/convention script. */
export function jibImage(snapshot: RepoSnapshot): DockerfileFacts | undefined {
  const pom = snapshot.files.get('pom.xml');
  const fromMaven = pom === undefined ? undefined : fromPom('pom.xml', pom);
  if (fromMaven) return { path: 'pom.xml', ...fromMaven };
  const scripts = [...snapshot.files.keys()].filter((p) => GRADLE_FILE.test(p) && !isTestOrVendored(p)).sort(byDepthThenPath);
  for (const path of scripts) {
    const found = fromGradle(path, snapshot.files.get(path) ?? '');
    if (found) return { path, ...found };
  }
  return undefined;
}
