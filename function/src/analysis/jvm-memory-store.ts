// A Spring app with no database whose controller (or in-memory repository bean) keeps its records in a
// mutable collection field that the request handlers add to and remove from: the JVM process is the
// store, lost on restart and not shared between instances (the rubric's `in-process` state).
import type { RepoSnapshot, Sourced } from '../types.js';
import type { ManifestFacts } from './model.js';
import { escapeRegExp, lineAt, loc } from './text.js';

/** A persistence library (JPA, JDBC, R2DBC, Spring Data, an ORM) means the records go to a database, whichever. */
const PERSISTENCE = /(?:data-|jdbc|r2dbc|jpa|hibernate|mybatis|jooq|exposed|mongo|redis|cassandra|elasticsearch|neo4j|couchbase|dynamodb)/i;

/**
 * A controller (or an in-memory `@Repository`): one instance per application, so its fields live as long as the
 * process. Other beans (filters, rate limiters, token caches) keep working data, not the app's records.
 */
const STORE_BEAN = /@(?:RestController|Controller|Repository)\b/;
/** An in-memory implementation of the app's repository interface, registered as a plain bean. */
const REPOSITORY_IMPL = /@(?:Component|Service)\b[\s\S]*?\bclass\s+\w+[^{]*?(?:\bimplements\s+[\w\s,.<>]*?\w*Repository\b|\)\s*:\s*\w*Repository\b)/;
/** Handlers that write: the app accepts records over HTTP. */
const WRITE_MAPPING = /@(?:PostMapping|PutMapping|PatchMapping|DeleteMapping)\b|method\s*=\s*\[?\s*RequestMethod\.(?:POST|PUT|PATCH|DELETE)\b/;
/**
 * A field initialised with a mutable collection: Kotlin `val items = mutableListOf(…)` / `ArrayList<…>()`,
 * Java `private final List<Item> items = new ArrayList<>();`, or a constructor's `this.items = new HashMap<>();`.
 */
const COLLECTION_FIELD =
  /^\s*(?:(?:private|protected|internal|public)\s+)?(?:val|var)\s+(\w+)\s*(?::\s*[\w<>?,\s.]+)?=\s*(?:mutable(?:List|Map|Set)Of|ArrayList|HashMap|LinkedHashMap|ConcurrentHashMap|CopyOnWriteArrayList|HashSet)\b|^\s*(?:(?:private|protected|public)\s+)?(?:static\s+)?(?:final\s+)?(?:List|Map|Set|Collection|ArrayList|HashMap|ConcurrentMap|ConcurrentHashMap)\s*<[^;=\n]*>\s+(\w+)\s*=\s*new\s+(?:ArrayList|HashMap|LinkedHashMap|ConcurrentHashMap|CopyOnWriteArrayList|HashSet|TreeMap)\s*<|^\s*this\.(\w+)\s*=\s*new\s+(?:ArrayList|HashMap|LinkedHashMap|ConcurrentHashMap|CopyOnWriteArrayList|HashSet|TreeMap)\s*</gm;

/** Braces open before `index`: a class member sits at depth 1, a method's local variable deeper. */
function braceDepth(text: string, index: number): number {
  let depth = 0;
  for (let i = 0; i < index; i++) {
    const c = text[i];
    if (c === '{') depth++;
    else if (c === '}') depth--;
  }
  return depth;
}

export function springMemoryStore(snapshot: RepoSnapshot, code: readonly string[], jvm: ManifestFacts | undefined): Sourced | undefined {
  if (jvm?.dependencies.some((d) => PERSISTENCE.test(d.name))) return undefined;
  if (!code.some((p) => WRITE_MAPPING.test(snapshot.files.get(p) ?? ''))) return undefined;
  for (const path of code) {
    const text = snapshot.files.get(path) ?? '';
    // A controller's own collection counts when that controller accepts writes; a repository's whenever the app does.
    const repository = /@Repository\b/.test(text) || REPOSITORY_IMPL.test(text);
    if (!repository && !(STORE_BEAN.test(text) && WRITE_MAPPING.test(text))) continue;
    for (const field of text.matchAll(COLLECTION_FIELD)) {
      const name = field[1] ?? field[2] ?? field[3] ?? '';
      // A method's local list (`val out = ArrayList<X>()`) is not a field; `this.x = …` always is.
      if (field[3] === undefined && braceDepth(text, field.index ?? 0) > 1) continue;
      // The handlers must change it (`items.add(…)`, `store[id] = …`): a constant lookup table is not a store.
      const mutated = new RegExp(String.raw`\b${escapeRegExp(name)}\s*(?:\.\s*(?:add|addAll|put|putAll|putIfAbsent|remove|removeIf|set|clear)\s*\(|\[[^\]\n]+\]\s*=[^=])`);
      if (mutated.test(text.slice((field.index ?? 0) + field[0].length))) {
        return { name: 'in-memory store (a collection field of a Spring bean the handlers write to)', source: loc(path, lineAt(text, (field.index ?? 0) + (field[0].length - field[0].trimStart().length))) };
      }
    }
  }
  return undefined;
}
