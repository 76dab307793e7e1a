// What a root sbt build says about how its app runs: the image sbt-native-packager builds (its EXPOSE), and Play.
import type { RepoSnapshot } from '../types.js';
import type { DockerfileFacts } from './docker.js';
import { byDepthThenPath, isTestOrVendored } from './files.js';
import type { Located } from './model.js';
import { lineAt, loc, withoutSlashComments } from './text.js';

/** Play's HTTP port when nothing sets `http.port`. */
export const PLAY_DEFAULT_PORT = 9000;

/** `dockerExposedPorts := Seq(9000)`, `dockerExposedPorts ++= Seq(9003, 9443)`: sbt-native-packager's EXPOSE. */
const EXPOSED_PORTS = /^[ \t]*(?:\w+\s*\/\s*)?dockerExposedPorts(?:\s+in\s+Docker)?\s*(?::=|\+\+=)\s*(?:Seq|List)\(\s*(\d+)/m;
/** `dockerExposedVolumes := Seq("/data")`: its VOLUME. */
const EXPOSED_VOLUMES = /^[ \t]*(?:\w+\s*\/\s*)?dockerExposedVolumes(?:\s+in\s+Docker)?\s*(?::=|\+\+=)\s*(?:Seq|List)\(([^)]*)\)/m;

/** The image sbt-native-packager's Docker plugin builds from the root build.sbt, when it declares a port or a volume. */
export function sbtDockerImage(snapshot: RepoSnapshot): DockerfileFacts | undefined {
  const path = 'build.sbt';
  const raw = snapshot.files.get(path);
  if (raw === undefined) return undefined;
  const text = withoutSlashComments(raw);
  const port = EXPOSED_PORTS.exec(text);
  const volumes = EXPOSED_VOLUMES.exec(text);
  const value = port ? Number(port[1]) : 0;
  const exposed = value > 0 && value < 65536 && port ? { exposedPort: { value, source: loc(path, lineAt(text, port.index)) } } : {};
  const paths = volumes ? [...(volumes[1] ?? '').matchAll(/"([^"]+)"/g)].map((m) => ({ value: (m[1] ?? '').replace(/\/$/, ''), source: loc(path, lineAt(text, volumes.index)) })) : [];
  if (!('exposedPort' in exposed) && paths.length === 0) return undefined;
  return { path, images: [], copied: [], volumes: paths, ...exposed };
}

/** Play's sbt plugin (`com.typesafe.play` before Play 3, `org.playframework` since). */
const PLAY_PLUGIN = /addSbtPlugin\(\s*"(?:com\.typesafe\.play|org\.playframework)"\s*%\s*"sbt-plugin"/;
/** A project enabling it: `.enablePlugins(PlayScala)`, `PlayJava`, `PlayMinimalScala` … */
const PLAY_ENABLED = /\benablePlugins\([^)]*\bPlay(?:Scala|Java|Minimal(?:Scala|Java))\b/g;
/** A sample, example, test or docs project's folder (`project in file("samples/todo")`): not the app. */
const NOT_THE_APP_PROJECT = /\bfile\(\s*"[^"]*\b(?:samples?|examples?|tests?|demos?|docs?|documentation)\b[^"]*"\s*\)/;

/**
 * Where the root sbt build adds Play for a project of the app: a project enabling it that is no sample, example, test or
 * docs folder, else (an older build naming no plugin per project) the plugin itself. Comments are read as blank.
 */
export function playPlugin(snapshot: RepoSnapshot): string | undefined {
  const build = withoutSlashComments(snapshot.files.get('build.sbt') ?? '');
  const enabled = [...build.matchAll(PLAY_ENABLED)];
  if (enabled.length > 0) {
    // (The statement a project is defined in runs from its `lazy val` to the enabling call.)
    const own = enabled.find((m) => !NOT_THE_APP_PROJECT.test(build.slice(Math.max(0, build.lastIndexOf('lazy val', m.index)), m.index)));
    return own ? loc('build.sbt', lineAt(build, own.index)) : undefined;
  }
  const plugins = withoutSlashComments(snapshot.files.get('project/plugins.sbt') ?? '');
  const m = PLAY_PLUGIN.exec(plugins);
  return m ? loc('project/plugins.sbt', lineAt(plugins, m.index)) : undefined;
}

/** `http.port = 9001`, `play.server.http.port = 9001` (a trailing comment aside; not `${?PORT}`, which names no port). */
const PLAY_HTTP_PORT = /^[ \t]*(?:play\.server\.)?http\.port\s*[=:]\s*(\d+)\s*(?:(?:#|\/\/).*)?$/m;
/** Play's config: the root's, else a subproject's (`app/jvm/conf/application.conf`), shallowest first. */
const PLAY_CONFIG = /(?:^|\/)conf\/application\.conf$/;

/** The port a Play app listens on: its config's `http.port`, else Play's default. */
export function playPort(snapshot: RepoSnapshot): Located<number> {
  for (const path of [...snapshot.files.keys()].filter((p) => PLAY_CONFIG.test(p) && !isTestOrVendored(p)).sort(byDepthThenPath)) {
    const text = snapshot.files.get(path) ?? '';
    const m = PLAY_HTTP_PORT.exec(text);
    const value = m ? Number(m[1]) : 0;
    if (m && value > 0 && value < 65536) return { value, source: loc(path, lineAt(text, m.index)) };
  }
  return { value: PLAY_DEFAULT_PORT, source: 'rule:play-default-port' };
}
