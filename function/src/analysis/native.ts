// C and C++ code: no package registry names it, so its build files are its manifests.
import type { RepoSnapshot } from '../types.js';
import { byDepthThenPath, sourceFiles, type SourceFile } from './files.js';
import type { Located } from './model.js';
import { lineAt, loc } from './text.js';

/** Root files that build C or C++ code: CMake, Meson, Autotools. */
const NATIVE_BUILD_FILES = ['CMakeLists.txt', 'meson.build', 'configure.ac', 'configure.in', 'Makefile.am'];
/**
 * …and a plain Makefile, when it or a make file at the root it may include (`Makefile.rules`, `common.mk`) compiles (`$(CC)` or `${CC}`,
 * `gcc`, an object-file rule), not when it only drives another ecosystem's tasks.
 */
const PLAIN_MAKEFILES = ['GNUmakefile', 'Makefile'];
const ROOT_MAKE_FILE = /^(?:GNUmakefile|Makefile(?:\.[\w-]+)?|[\w-]+\.mk)$/;
const COMPILES = /\$(?:\((?:CC|CXX)\)|\{(?:CC|CXX)\})|(?:^|[\s=])(?:gcc|g\+\+|clang(?:\+\+)?)(?=\s)|^[^\s:#][^:\n]*\.o\s*:/m;
/**
 * …or, with none at the root, a BSD make program file anywhere (`PROG= ntpd` … `.include <bsd.prog.mk>`): a slice of a BSD
 * source tree (`src/usr.sbin/ntpd/Makefile`) builds with the system's make rules, not a root build of its own.
 */
const BSD_PROGRAM = /^PROG\s*[+?]?=\s*\S[\s\S]*^\.include\s+<bsd\.prog\.mk>/m;
const C_SOURCES = ['.c'];
const CPP_SOURCES = ['.cc', '.cpp', '.cxx', '.c++'];

/** Folders of bundled third-party C (`deps/lua`, `third_party/`) and of helpers beside the code (benchmarks, contributed utilities, samples). */
const NOT_THE_PROGRAM = new Set(['deps', 'third_party', 'thirdparty', '3rdparty', 'external', 'extern', 'bench', 'benchmark', 'benchmarks', 'contrib', 'tools', 'utils', 'samples', 'sample', 'example', 'demo', 'demos', 'fuzz', 'windows']);
/** Test folders and files C projects use beside the shared test layout (`cunit/`, `t/`, `eagi-sphinx-test.c`, `test_codec.c`). */
const TEST_DIR = /^(?:c?unit|tests?|testing|t)$/i;
const TEST_FILE = /(?:^|[_-])tests?(?:[_.-]|$)/i;

const own = (file: SourceFile): boolean => {
  const parts = file.path.split('/');
  const name = parts.pop() ?? '';
  return !parts.some((dir) => NOT_THE_PROGRAM.has(dir) || TEST_DIR.test(dir)) && !TEST_FILE.test(name);
};

const ownSources = (snapshot: RepoSnapshot, extensions: readonly string[]): SourceFile[] => sourceFiles(snapshot, extensions).filter(own);

/**
 * The language of a native build at the root: C or C++, whichever has more source files of the project's own (not tests,
 * bundled libraries or contributed tools). Nothing when it has none (a Makefile beside one helper's `contrib/pwhash.c`).
 */
export function nativeLanguage(snapshot: RepoSnapshot): Located<'c' | 'cpp'> | undefined {
  const compiles = (): boolean => [...snapshot.files].some(([path, text]) => ROOT_MAKE_FILE.test(path) && COMPILES.test(text));
  const bsdProgram = (): string | undefined => [...snapshot.files.keys()].filter((p) => /(?:^|\/)Makefile$/.test(p)).sort(byDepthThenPath).find((p) => BSD_PROGRAM.test(snapshot.files.get(p) ?? ''));
  const build = NATIVE_BUILD_FILES.find((f) => snapshot.files.has(f)) ?? (compiles() ? PLAIN_MAKEFILES.find((f) => snapshot.files.has(f)) : undefined) ?? bsdProgram();
  if (build === undefined) return undefined;
  const c = ownSources(snapshot, C_SOURCES).length;
  const cpp = ownSources(snapshot, CPP_SOURCES).length;
  if (c + cpp === 0) return undefined;
  return { value: cpp > c ? 'cpp' : 'c', source: build };
}

/** A `main` function's definition at the start of a line: `int main(int argc, …)`, `main(void)`, K&R's `main (argc, argv)`. */
const MAIN_DEFINITION = /^(?:(?:static\s+)?int\s+)?main\s*\(\s*(?:int\b|void\b|\)|$|\w+\s*,)/m;

/** Where the project's own C or C++ code defines `main`, shallowest first: it builds a program someone runs, not only a library. */
export function nativeProgram(snapshot: RepoSnapshot): string | undefined {
  for (const file of ownSources(snapshot, [...C_SOURCES, ...CPP_SOURCES])) {
    const match = MAIN_DEFINITION.exec(file.text);
    if (match) return loc(file.path, lineAt(file.text, match.index));
  }
  return undefined;
}

/** C and C++ headers, read with the sources for the calls a program makes. */
const HEADERS = ['.h', '.hh', '.hpp', '.hxx'];
/**
 * A call that opens a listening socket or starts a server, or detaches as a daemon: BSD sockets, libevent, libuv,
 * libmicrohttpd, Mongoose/CivetWeb, libwebsockets, libsoup, nng, ZeroMQ, GLib, libupnp, Qt, Boost.Asio, cpp-httplib,
 * Crow, Drogon, Poco, gRPC.
 */
const SERVER_CALL = /\b(?:listen|bind|accept4?|daemon|evconnlistener_new(?:_bind)?|evhttp_bind_socket\w*|uv_listen|MHD_start_daemon|mg_http_listen|mg_bind|mg_start|lws_create_context|soup_server_\w+|nng_listen|zmq_bind|g_socket_listener_\w+|UpnpInit2?)\s*\(|\bQ(?:Tcp|Local|WebSocket|Http)Server\b|\btcp::acceptor\b|\bhttplib::Server\b|\bcrow::(?:SimpleApp|App)\b|\bdrogon::app\s*\(|\bHTTPServer\b|\bgrpc::ServerBuilder\b/;

/**
 * Where the project's own C or C++ code (sources and headers, not tests, bundled libraries or contributed tools) opens a
 * server socket, starts a server or detaches as a daemon: a program that does none of these is a command-line tool.
 */
export function nativeServerCall(snapshot: RepoSnapshot): string | undefined {
  for (const file of ownSources(snapshot, [...C_SOURCES, ...CPP_SOURCES, ...HEADERS])) {
    const match = SERVER_CALL.exec(file.text);
    if (match) return loc(file.path, lineAt(file.text, match.index));
  }
  return undefined;
}
