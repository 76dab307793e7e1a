// An entrypoint script the Dockerfile copies to another path (`COPY docker/entrypoint.sh /entrypoint.sh`) is still the
// repository's script, and a listen address it passes through a variable with a default (`ADDR="${ADDR:-:9000}"` then
// `--address "${ADDR}"`) is the port the server binds (smallstep/certificates 9000), not the framework's default.
// A loopback default (a server behind a proxy) and a flag that is not a listen address say nothing.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const goChi = (script: string, copy = 'COPY docker/entrypoint.sh /entrypoint.sh') => snapshot({
  'go.mod': 'module example.com/ca\n\ngo 1.22\n\nrequire github.com/go-chi/chi/v5 v5.0.12\n',
  'cmd/ca/main.go': 'package main\n\nimport "github.com/go-chi/chi/v5"\n\nfunc main() {\n\tr := chi.NewRouter()\n\t_ = r\n}\n',
  'docker/Dockerfile': `FROM golang:1.22 AS build\nCOPY . /src\nRUN go build -o /ca ./cmd/ca\nFROM alpine\nCOPY --from=build /ca /usr/local/bin/ca\n${copy}\nENTRYPOINT ["/bin/bash", "/entrypoint.sh"]\nCMD ["/usr/local/bin/ca", "/home/ca/config.json"]\n`,
  'docker/entrypoint.sh': script,
});
const init = (address: string) => `#!/bin/bash\nset -eo pipefail\n\nfunction init () {\n    CA_ADDRESS="\${CA_ADDRESS:-${address}}"\n    local -a args=(\n        --name "\${CA_NAME}"\n        --address "\${CA_ADDRESS}"\n    )\n    ca init "\${args[@]}"\n}\n\ninit\nexec "\${@}"\n`;

describe('a listen address an entrypoint script passes through a variable', () => {
  it('takes the port of the variable\'s default in a script the Dockerfile copies to /entrypoint.sh', () => {
    const a = analyzeRepository(goChi(init(':9000')));
    expect(a.port).toBe(9000);
    expect(a.evidence.filter((e) => e.fact === 'port 9000').map((e) => e.source)).toEqual(['docker/entrypoint.sh:8']);
  });

  it('reads the server line of a script the Dockerfile copies to /entrypoint.sh', () => {
    const a = analyzeRepository(goChi('#!/bin/sh\nexec /usr/local/bin/ca --listen 0.0.0.0:9100 "$@"\n', 'COPY docker/entrypoint.sh /entrypoint.sh'));
    expect(a.port).toBe(9100);
  });

  it('leaves a loopback default, and a script the image does not hold, to the framework default', () => {
    expect(analyzeRepository(goChi(init('127.0.0.1:9000'))).port).toBe(8080);
    expect(analyzeRepository(goChi(init(':9000'), 'COPY docker/other.sh /entrypoint.sh')).port).toBe(8080);
  });

  it('takes no port from a variable given to a flag that is not a listen address', () => {
    const script = '#!/bin/bash\nCA_DNS="${CA_DNS:-ca.local:9000}"\nca init --dns "${CA_DNS}"\nexec "$@"\n';
    expect(analyzeRepository(goChi(script)).port).toBe(8080);
  });

  it('finishes on a 100 KB assignment line', () => {
    const started = Date.now();
    analyzeRepository(goChi(`#!/bin/bash\nA="\${A:-${'a'.repeat(100_000)}"\nca --address "$A"\nexec "$@"\n`));
    analyzeRepository(goChi(`#!/bin/bash\nA=${'[:'.repeat(50_000)}\nca --address "$A"\nexec "$@"\n`));
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
