// Small text helpers: line numbers for evidence, regex escaping.

/** 1-based line number of a character offset. */
export function lineAt(text: string, index: number): number {
  let line = 1;
  const end = Math.min(index, text.length);
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** 1-based line of the first match at or after `fromIndex`, if any. */
export function findLine(text: string, pattern: RegExp | string, fromIndex = 0): number | undefined {
  if (typeof pattern === 'string') {
    const i = text.indexOf(pattern, fromIndex);
    return i < 0 ? undefined : lineAt(text, i);
  }
  const re = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
  re.lastIndex = fromIndex;
  const m = re.exec(text);
  return m ? lineAt(text, m.index) : undefined;
}

/** Evidence source: `file:line` when the line is known, else `file`. */
export function loc(file: string, line?: number): string {
  return line === undefined ? file : `${file}:${line}`;
}

/** The file of an evidence source (`loc`'s inverse): `docker/app.yml:12` → `docker/app.yml`. */
export function fileOf(source: string): string {
  return source.replace(/:\d+$/, '');
}

/** The folder a path sits in, `''` at the root: `docker/app/Dockerfile` → `docker/app`. */
export function dirOf(path: string): string {
  return path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
}

/** `/app/` → `/app`, `/` → `` (a loop, not `/\/+$/`, which backtracks on a long run of slashes). */
export function withoutTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 0 && path[end - 1] === '/') end--;
  return path.slice(0, end);
}

/** A path's last segment, trailing slashes dropped: `/directus/dist/` → `dist`. */
export const lastSegment = (path: string): string => withoutTrailingSlashes(path).split('/').pop() ?? '';

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function splitLines(text: string): string[] {
  return text.split(/\r?\n/);
}

/**
 * Line of the first `"key":` at or after `from`, for every key of a JSON text, in one pass: looking
 * each dependency up with its own regex was quadratic (20k dependencies took 20 s).
 */
export function jsonKeyLines(text: string, from = 0): Map<string, number> {
  const out = new Map<string, number>();
  const re = /"((?:[^"\\\n]|\\.)*)"\s*:/g;
  re.lastIndex = Math.max(0, from);
  let line = lineAt(text, re.lastIndex);
  let at = re.lastIndex;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    for (let i = at; i < m.index; i++) if (text.charCodeAt(i) === 10) line++;
    at = m.index;
    if (!out.has(m[1] ?? '')) out.set(m[1] ?? '', line);
  }
  return out;
}

/** The text of the first `<name>…</name>` element in an XML block (a pom's `<artifactId>`), trimmed. */
export function xmlTag(block: string, name: string): string | undefined {
  return new RegExp(`<${name}>\\s*([^<\\s]+)\\s*</${name}>`).exec(block)?.[1];
}

/** XML with its comments blanked out, line for line (a commented-out `<module>` or dependency is not there). */
export function withoutXmlComments(text: string): string {
  return text.replace(/<!--[\s\S]*?-->/g, (c) => c.replace(/[^\n]/g, ' '));
}

/**
 * Code in the C comment style (Scala, sbt, Java, JavaScript) with its `//` and `/* … *\/` comments blanked out, line for
 * line; a `//` inside a double-quoted string (`"https://repo…"`) is not a comment.
 */
export function withoutSlashComments(text: string): string {
  let out = '';
  let i = 0;
  let inString = false;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"' || c === '\n') inString = false;
      i++;
    } else if (c === '"') {
      inString = true;
      out += c;
      i++;
    } else if (text.startsWith('//', i)) {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      out += ' '.repeat(stop - i);
      i = stop;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}
