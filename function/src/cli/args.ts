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
    return parseArgs({ args: argv, allowPositionals: true, options });
  } catch (e) {
    io.err(`${name}: ${(e as Error).message}\n${usage}\n`);
    return undefined;
  }
}
