// The default of an env lookup of the app's own prefixed server port (`DELBM_SERVER_PORT`), not another server's.
import { describe, expect, it } from 'vitest';
import { explicitPortInCode } from '../function/src/analysis/source-scan.js';
import type { RepoSnapshot } from '../function/src/types.js';

const go = (code: string): RepoSnapshot => ({ files: new Map([['go.mod', 'module example.com/app\n'], ['cmd/server/main.go', `package main\n\nfunc main() {\n${code}\n}\n`]]) });

describe('prefixed server port env default', () => {
  it('reads the default of the app-prefixed server port variable', () => {
    expect(explicitPortInCode(go('\tport := env.GetIntFromEnv("BOOKMARKS_SERVER_PORT", 1323)'), 'go')?.value).toBe(1323);
    expect(explicitPortInCode(go('\tport := getEnv("MYAPP_HTTP_PORT", "8090")'), 'go')?.value).toBe(8090);
  });

  it('leaves the ports of mail, database and other servers alone', () => {
    expect(explicitPortInCode(go('\tsmtp := env.GetIntFromEnv("APP_SMTP_SERVER_PORT", 587)\n\tdb := getEnv("APP_DB_SERVER_PORT", "5432")'), 'go')).toBeUndefined();
  });
});
