// What every scai command shares: where output goes, and how a bad command line is reported
// (the parser's message, then the command's usage; the caller exits 2).
import { parseArgs, type ParseArgsConfig } from 'node:util';

export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseCommandLine<O extends Options>(name: string, argv: string[], options: O, usage: string, io: Io) {
  try {
    return parseArgs({ args: splitShortEquals(argv, options), allowPositionals: true, options });
  } catch (e) {
    io.err(`${name}: ${(e as Error).message}\n${usage}\n`);
    return undefined;
  }
}

/**
 * kubectl (pflag) reads `-n=team-a` as `-n team-a`; node's parseArgs would take `=team-a` as the
 * value. Split the `=` off for short options that take a value, so both spellings mean the same.
 */
export function splitShortEquals(argv: readonly string[], options: Options): string[] {
  const takesValue = new Set(Object.values(options).filter((o) => o.short && o.type === 'string').map((o) => o.short));
  const out: string[] = [];
  let operands = false; // after `--` nothing is an option
  for (const a of argv) {
    const [, flag, value] = (operands ? null : /^-([A-Za-z])=(.*)$/s.exec(a)) ?? [];
    if (flag !== undefined && value !== undefined && takesValue.has(flag)) out.push(`-${flag}`, value);
    else out.push(a);
    if (a === '--') operands = true;
  }
  return out;
}
