// A Spring app with no database whose controller keeps its records in a collection field the write handlers
// change keeps its state in the process.
import { describe, expect, it } from 'vitest';
import { analyzeRepository } from '../function/src/analysis/analyze.js';
import { snapshot } from './helpers/snapshot.js';

const gradle = (extra = '') => `plugins {
  id("org.springframework.boot") version "3.3.0"
  kotlin("jvm") version "1.9.24"
}
dependencies {
  implementation("org.springframework.boot:spring-boot-starter-web")
${extra}}
`;
const app = 'package demo\n\n@SpringBootApplication\nclass App\n\nfun main(args: Array<String>) { runApplication<App>(*args) }\n';
const kotlinController = `package demo

@RestController
@RequestMapping("/api/notes")
class NoteController {

    val notes = mutableListOf(mutableMapOf("id" to "1", "text" to "first"))

    @GetMapping
    fun all() = notes

    @PostMapping
    fun add(@RequestBody note: MutableMap<String, String>): Map<String, String> {
        notes.add(note)
        return note
    }
}
`;
const javaController = `package demo;

@RestController
public class TodoController {
    private final Map<Long, Todo> todos = new ConcurrentHashMap<>();

    @GetMapping("/todos")
    public Collection<Todo> all() { return todos.values(); }

    @PostMapping("/todos")
    public Todo add(@RequestBody Todo todo) { todos.put(todo.id(), todo); return todo; }
}
`;
const files = (controller: string, extra = '') => ({ 'build.gradle.kts': gradle(extra), 'src/main/kotlin/demo/App.kt': app, 'src/main/kotlin/demo/NoteController.kt': controller });

describe('collection field of a Spring bean as the store', () => {
  it('is in-process state when the write handlers change it (Kotlin)', () => {
    const a = analyzeRepository(snapshot(files(kotlinController)));
    expect(a.localState?.map((s) => s.name)).toEqual(['in-memory store (a collection field of a Spring bean the handlers write to)']);
    expect(a.localState?.[0]?.source).toBe('src/main/kotlin/demo/NoteController.kt:7');
  });

  it('is in-process state for a Java map field the handlers put into', () => {
    const a = analyzeRepository(snapshot({ 'build.gradle.kts': gradle(), 'src/main/java/demo/App.java': '@SpringBootApplication\npublic class App {}\n', 'src/main/java/demo/TodoController.java': javaController }));
    expect(a.localState?.map((s) => s.name)).toEqual(['in-memory store (a collection field of a Spring bean the handlers write to)']);
    expect(a.localState?.[0]?.source).toBe('src/main/java/demo/TodoController.java:5');
  });

  it('is not state when the app has a persistence library', () => {
    const a = analyzeRepository(snapshot(files(kotlinController, '  implementation("org.springframework.boot:spring-boot-starter-data-jpa")\n')));
    expect(a.localState ?? []).toEqual([]);
  });

  it('is not state when no handler writes to it (a lookup table)', () => {
    const a = analyzeRepository(snapshot(files(kotlinController.replace('@PostMapping', '@GetMapping("/x")').replace('notes.add(note)', 'println(note)'))));
    expect(a.localState ?? []).toEqual([]);
  });
  it('is in-process state for an in-memory @Repository the write handlers go through', () => {
    const repo = 'package demo\n\n@Repository\nclass NoteRepository {\n    private val notes = HashMap<String, String>()\n\n    fun save(id: String, text: String) { notes[id] = text }\n}\n';
    const controller = 'package demo\n\n@RestController\nclass NoteController(val repo: NoteRepository) {\n    @PostMapping("/notes")\n    fun add(@RequestBody text: String) = repo.save("1", text)\n}\n';
    const a = analyzeRepository(snapshot({ 'build.gradle.kts': gradle(), 'src/main/kotlin/demo/App.kt': app, 'src/main/kotlin/demo/NoteRepository.kt': repo, 'src/main/kotlin/demo/NoteController.kt': controller }));
    expect(a.localState?.map((s) => s.name)).toEqual(['in-memory store (a collection field of a Spring bean the handlers write to)']);
    expect(a.localState?.[0]?.source).toBe('src/main/kotlin/demo/NoteRepository.kt:5');
  });

  it('is not state for working data of another bean (a rate limiter filter)', () => {
    const limiter = 'package demo;\n\n@Component\npublic class RateLimiter {\n    private final Map<String, Integer> hits = new ConcurrentHashMap<>();\n\n    public void hit(String ip) { hits.put(ip, hits.getOrDefault(ip, 0) + 1); }\n}\n';
    const proxy = 'package demo;\n\n@RestController\npublic class ProxyController {\n    @PostMapping("/forward")\n    public String forward(@RequestBody String body) { return body; }\n}\n';
    const a = analyzeRepository(snapshot({ 'build.gradle.kts': gradle(), 'src/main/java/demo/App.java': '@SpringBootApplication\npublic class App {}\n', 'src/main/java/demo/RateLimiter.java': limiter, 'src/main/java/demo/ProxyController.java': proxy }));
    expect(a.localState ?? []).toEqual([]);
  });
  it('is in-process state for a bean implementing the app\'s repository interface with maps made in its constructor', () => {
    const manager = 'package demo;\n\n@Component\npublic class PollManager implements PollRepository {\n    private HashMap<Integer, Poll> polls;\n\n    public PollManager() {\n        this.polls = new HashMap<>();\n    }\n\n    public void addPoll(Poll p) { polls.put(p.id(), p); }\n}\n';
    const controller = 'package demo;\n\n@RestController\npublic class PollController {\n    @PostMapping("/polls")\n    public Poll add(@RequestBody Poll p) { return p; }\n}\n';
    const a = analyzeRepository(snapshot({ 'build.gradle.kts': gradle(), 'src/main/java/demo/App.java': '@SpringBootApplication\npublic class App {}\n', 'src/main/java/demo/PollManager.java': manager, 'src/main/java/demo/PollController.java': controller }));
    expect(a.localState?.map((s) => s.name)).toEqual(['in-memory store (a collection field of a Spring bean the handlers write to)']);
    expect(a.localState?.[0]?.source).toBe('src/main/java/demo/PollManager.java:8');
  });

  it("is not state for a handler's local list", () => {
    const local = kotlinController.replace('    val notes = mutableListOf(mutableMapOf("id" to "1", "text" to "first"))\n', '').replace('fun all() = notes', 'fun all(): List<String> {\n        val out = mutableListOf<String>()\n        out.add("x")\n        return out\n    }').replace('notes.add(note)', 'println(note)');
    const a = analyzeRepository(snapshot(files(local)));
    expect(a.localState ?? []).toEqual([]);
  });
});
