// Keeps every better-sqlite3 object we create reachable until the process ends.
// Why: with better-sqlite3 12 on Node 24.19+, node::ObjectWrap's destructor unregisters a per-object cleanup hook
// and can abort the process (`Assertion failed: (env) != nullptr` in RemoveEnvironmentCleanupHook) when V8 collects
// the object, seen both mid-run and at exit (WiseLibs/better-sqlite3#1515, fixed in 13, which needs Node 22+).
// An object that is never garbage is never collected: Node's own cleanup hooks free it at exit, with the
// environment still in place. The statement cache keeps the number of objects bounded per connection.
const kept: object[] = [];

/** Keeps `value` reachable for the rest of the process and returns it. */
export function keep<T extends object>(value: T): T {
  kept.push(value);
  return value;
}
