// What a root sbt build says about how its app runs: the image sbt-native-packager builds (its EXPOSE), and Play.
import type { RepoSnapshot } from '../types.js';
import type { DockerfileFacts } from './docker.js';
import type { Located } from './model.js';
import { lineAt, loc } from './text.js';

/** Play's HTTP port when nothing sets `http.port`. */
export const PLAY_DEFAULT_PORT = 9000;

/** `dockerExposedPorts := Seq(9000)`, `dockerExposedPorts ++= Seq(9003, 9443)`: sbt-native-packager's EXPOSE. */
const EXPOSED_PORTS = /^[ \t]*(?:\w+\s*\/\s*)?dockerExposedPorts\s*(?::=|\+\+=)\s*(?:Seq|List)\(\s*(\d+)/m;
/** `dockerExposedVolumes := Seq("/data")`: its VOLUME. */
const EXPOSED_VOLUMES = /^[ \t]*(?:\w+\s*\/\s*)?dockerExposedVolumes\s*(?::=|\+\+=)\s*(?:Seq|List)\(([^)]*)\)/m;

/** The image sbt-native-packager's Docker plugin builds from the root build.sbt, when it declares a port or a volume. */
export function sbtDockerImage(snapshot: RepoSnapshot): DockerfileFacts | undefined {
  const path = 'build.sbt';
  const text = snapshot.files.get(path);
  if (text === undefined) return undefined;
  const port = EXPOSED_PORTS.exec(text);
  const volumes = EXPOSED_VOLUMES.exec(text);
  const value = port ? Number(port[1]) : 0;
  const exposed = value > 0 && value < 65536 && port ? { exposedPort: { value, source: loc(path, lineAt(text, port.index)) } } : {};
  const paths = volumes ? [...(volumes[1] ?? '').matchAll(/"([^"]+)"/g)].map((m) => ({ value: (m[1] ?? '').replace(/\/$/, ''), source: loc(path, lineAt(text, volumes.index)) })) : [];
  if (!('exposedPort' in exposed) && paths.length === 0) return undefined;
  return { path, images: [], copied: [], volumes: paths, ...exposed };
}

/** Play's sbt plugin (`com.typesafe.play` before Play 3, `org.playframework` since), or a project enabling it. */
const PLAY_PLUGIN = /addSbtPlugin\(\s*"(?:com\.typesafe\.play|org\.playframework)"\s*%\s*"sbt-plugin"|\benablePlugins\([^)]*\bPlay(?:Scala|Java|Minimal(?:Scala|Java))\b/;

/** Where the root sbt build adds Play: its server serves HTTP. */
export function playPlugin(snapshot: RepoSnapshot): string | undefined {
  for (const path of ['project/plugins.sbt', 'build.sbt']) {
    const text = snapshot.files.get(path) ?? '';
    const m = PLAY_PLUGIN.exec(text);
    if (m) return loc(path, lineAt(text, m.index));
  }
  return undefined;
}

/** `http.port = 9001`, `play.server.http.port = 9001` in conf/application.conf (not `${?PORT}`, which names no port). */
const PLAY_HTTP_PORT = /^[ \t]*(?:play\.server\.)?http\.port\s*[=:]\s*(\d+)\s*$/m;

/** The port a Play app listens on: its config's `http.port`, else Play's default. */
export function playPort(snapshot: RepoSnapshot): Located<number> {
  const path = 'conf/application.conf';
  const text = snapshot.files.get(path) ?? '';
  const m = PLAY_HTTP_PORT.exec(text);
  const value = m ? Number(m[1]) : 0;
  if (m && value > 0 && value < 65536) return { value, source: loc(path, lineAt(text, m.index)) };
  return { value: PLAY_DEFAULT_PORT, source: 'rule:play-default-port' };
}
