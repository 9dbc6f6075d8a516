/**
 * Where a Compose project writes the format's paths, and the edits that change them there.
 *
 * `components.<id>.replicas` is the service's `deploy.replicas` (or `scale`), `health-check` its
 * `healthcheck` block, every other key its `x-archlint` map, and the architecture's own keys
 * (`slo`, `zones`) the top-level `x-archlint`. Edits are made with the same helpers as for the
 * format (../../fix/yamlEdits.ts), in the file that holds the value, so comments and layout
 * survive. What a fix guesses says so (a caution makes the fix unsafe and names what to review).
 */
import {
  insertEntries as insertIn,
  pathOfScalarAt,
  removeEntry as removeIn,
  replaceValue as replaceIn,
  appendItems as appendIn,
  flow,
  type EditContext,
} from '../../fix/yamlEdits';
import type { Component } from '../../model/model';
import { nodeAt, pairOf, rangeAt, type YamlPath } from '../../parse/parse';
import type { Offsets, TextEdit } from '../../types';
import { oneEdit, type SourceEdits, type Written } from '../written';
import { kindOfImage } from '../values';
import type { ComposeModel, ServicePlaces } from './adapter';
import type { ComposeFile, ComposeProject } from './project';

/**
 * What every edit of an `x-archlint` map says: it states a fact for Archlint and changes nothing
 * Compose runs, so it is true only once the service does it (a person's call, never `--fix`'s).
 */
const STATES_ONLY = 'x-archlint only states it: make it true of the service';

/** The keys Compose writes itself; everything else goes to `x-archlint`. */
const NATIVE: ReadonlySet<string> = new Set(['replicas', 'health-check']);

/** The reads and edits of a project, by the format's paths. */
export function composeWritten(project: ComposeProject, built: ComposeModel): { written: Written; edits: SourceEdits } {
  const { model, places, top } = built;
  const contexts = new Map<ComposeFile, EditContext>();
  const ctxOf = (file: ComposeFile): EditContext => {
    let ctx = contexts.get(file);
    if (!ctx) {
      if (!file.doc) throw new Error(`${file.file} is not YAML`);
      contexts.set(file, (ctx = { doc: file.doc, text: file.text }));
    }
    return ctx;
  };
  const inFile = (edit: TextEdit, file: ComposeFile, caution?: string): TextEdit => ({
    ...edit,
    range: [edit.range[0], edit.range[1], file.file],
    file: file.file,
    ...(caution && { caution }),
  });
  const tagged = (r: Offsets, file: ComposeFile): Offsets => [r[0], r[1], file.file];

  /** The file and path an architecture path is written at, when it is written in an `x-archlint` map. */
  const xPlace = (path: YamlPath): { file: ComposeFile; path: YamlPath } | undefined => {
    if (path[0] === 'components') {
      const place = typeof path[1] === 'string' ? places.get(path[1]) : undefined;
      return place?.x && { file: place.x.file, path: [...place.x.path, ...path.slice(2)] };
    }
    return top && { file: top.file, path: [...top.path, ...path] };
  };
  const componentOf = (path: YamlPath): { c: Component; place: ServicePlaces } | undefined => {
    if (path[0] !== 'components' || typeof path[1] !== 'string') return undefined;
    const c = model.components.get(path[1]);
    const place = places.get(path[1]);
    return c && place ? { c, place } : undefined;
  };

  const written: Written = {
    rangeAt(path, part = 'value') {
      const found = componentOf(path);
      if (found) {
        const rest = path.slice(2);
        if (rest.length === 0) return part === 'key' ? found.c.idRange : found.c.range;
        const key = String(rest[0]);
        const x = xPlace(path);
        if (x && pairOf(x.file.doc!, nodeAt(x.file.doc!, x.path.slice(0, -rest.length)), key))
          return tagged(rangeAt(x.file.doc!, x.path, part), x.file);
        const ranges = found.c.keys[key];
        return ranges ? ranges[part] : found.c.idRange;
      }
      const x = xPlace(path);
      if (x?.file.doc && path[0] !== 'components') return tagged(rangeAt(x.file.doc, x.path, part), x.file);
      return model.componentsKeyRange ?? model.range;
    },
    nodeAt(path) {
      const x = xPlace(path);
      const node = x?.file.doc && nodeAt(x.file.doc, x.path);
      return x && node !== undefined ? { doc: x.file.doc!, node } : undefined;
    },
    writes(mapPath, key) {
      const x = xPlace(mapPath);
      return x?.file.doc !== undefined && pairOf(x.file.doc, nodeAt(x.file.doc, x.path), key) !== undefined;
    },
  };

  const notWritable = (path: YamlPath): never => {
    throw new Error(`${path.join('.')} has no place in a compose file`);
  };
  /** {@link xPlace}, for an edit: never in an `x-archlint` map the service shares with others. */
  const xEditPlace = (path: YamlPath): { file: ComposeFile; path: YamlPath } | undefined => {
    const place = path[0] === 'components' && typeof path[1] === 'string' ? places.get(path[1]) : undefined;
    if (place?.shared.has('x-archlint')) notWritable(path);
    return xPlace(path);
  };

  const edits: SourceEdits = {
    replaceValue(path, value) {
      const found = componentOf(path);
      if (found && path[2] === 'replicas' && path.length === 3) {
        const at = found.place.replicas ?? notWritable(path);
        return inFile(replaceIn(ctxOf(at.file), at.path, value), at.file, replicaCaution(found.place, value));
      }
      if (found && NATIVE.has(String(path[2]))) notWritable(path);
      const x = xEditPlace(path) ?? notWritable(path);
      return inFile(replaceIn(ctxOf(x.file), x.path, value), x.file, STATES_ONLY);
    },

    insertEntries(mapPath, entries) {
      const found = componentOf(mapPath);
      if (found && mapPath.length === 2) return insertIntoService(found.c, found.place, entries);
      if (mapPath[0] === 'components' && mapPath.length === 1) notWritable([...mapPath, 'a new component']);
      const x = xEditPlace(mapPath);
      if (x) return inFile(insertIn(ctxOf(x.file), x.path, entries), x.file, STATES_ONLY);
      if (mapPath.length === 0) {
        // The architecture's own keys, in a new top-level x-archlint of the first file.
        const main = project.main;
        return inFile(insertIn(ctxOf(main), [], [['x-archlint', Object.fromEntries(entries)]]), main, STATES_ONLY);
      }
      return notWritable(mapPath);
    },

    appendItems(path, items) {
      const x = xEditPlace(path) ?? notWritable(path);
      return inFile(appendIn(ctxOf(x.file), x.path, items), x.file, STATES_ONLY);
    },

    removeEntry(mapPath, key) {
      const x = xEditPlace(mapPath) ?? notWritable(mapPath);
      return inFile(removeIn(ctxOf(x.file), x.path, key), x.file, STATES_ONLY);
    },

    replaceScalarAt(range, value) {
      const file = project.files.find((f) => f.file === range[2]) ?? project.main;
      const path = file.doc && pathOfScalarAt(file.doc, range[0]);
      if (!path) throw new Error(`no scalar at ${range[0]}`);
      return inFile(replaceIn(ctxOf(file), path, value), file);
    },
  };

  /**
   * New keys of a component, each where Compose keeps it: `replicas` in `deploy`, `health-check`
   * as a `healthcheck` block, the rest in `x-archlint`. One edit (the text between the places
   * kept as it is), since the helpers' callers expect one.
   */
  const insertIntoService = (
    c: Component,
    place: ServicePlaces,
    entries: ReadonlyArray<readonly [string, unknown]>,
  ): TextEdit => {
    const def = place.definition ?? notWritable(['components', c.id]);
    const serviceEntries: [string, unknown][] = [];
    const parts: TextEdit[] = [];
    // What the new service keys need reviewed: they are one edit, made last.
    const cautions: string[] = [];
    const xEntries = entries.filter(([k]) => !NATIVE.has(k));
    for (const [key, value] of entries) {
      if (key === 'replicas') {
        const caution = replicaCaution(place, value);
        if (place.deploy)
          parts.push(
            inFile(insertIn(ctxOf(place.deploy.file), place.deploy.path, [['replicas', value]]), place.deploy.file, caution),
          );
        else if (place.shared.has('deploy')) notWritable(['components', c.id, 'replicas']);
        else {
          serviceEntries.push(['deploy', { replicas: value }]);
          if (caution) cautions.push(caution);
        }
      } else if (key === 'health-check') {
        const { check, caution } = healthcheckFor(c, place);
        if (place.healthcheck) parts.push(...testInPlace(place.healthcheck, check, caution));
        else if (place.shared.has('healthcheck')) notWritable(['components', c.id, 'health-check']);
        else {
          serviceEntries.push(['healthcheck', check]);
          cautions.push(caution);
        }
      }
    }
    if (xEntries.length > 0) {
      if (place.shared.has('x-archlint')) notWritable(['components', c.id, 'x-archlint']);
      if (place.x) parts.push(inFile(insertIn(ctxOf(place.x.file), place.x.path, xEntries), place.x.file, STATES_ONLY));
      else {
        serviceEntries.push(['x-archlint', Object.fromEntries(xEntries)]);
        cautions.push(STATES_ONLY);
      }
    }
    if (serviceEntries.length > 0) parts.push(inFile(insertIn(ctxOf(def.file), def.path, serviceEntries), def.file));
    return oneEdit(parts, (file) => project.files.find((f) => f.file === file)?.text, cautions);
  };

  /**
   * A test set in a healthcheck the service already has (one with `disable: true` or a `NONE`
   * test): its `test` replaced, `disable` removed, the keys it lacks added; what else it says
   * (an interval, retries) stays.
   */
  const testInPlace = (
    at: { file: ComposeFile; path: YamlPath },
    check: Record<string, unknown>,
    caution: string,
  ): TextEdit[] => {
    const ctx = ctxOf(at.file);
    const doc = at.file.doc!;
    const map = nodeAt(doc, at.path);
    const writes = (key: string) => pairOf(doc, map, key) !== undefined;
    const out: TextEdit[] = [];
    if (writes('test')) out.push(inFile(replaceIn(ctx, [...at.path, 'test'], check.test), at.file, caution));
    if (writes('disable')) out.push(inFile(removeIn(ctx, at.path, 'disable'), at.file, caution));
    const missing = Object.entries(check).filter(([key]) => !writes(key));
    if (missing.length > 0) out.push(inFile(insertIn(ctx, at.path, missing), at.file, caution));
    return out;
  };

  return { written, edits };
}

/** Why `replicas: n` needs more than itself: what two replicas cannot share. */
function replicaCaution(place: ServicePlaces, value: unknown): string | undefined {
  return typeof value === 'number' && value > 1 && place.replicaObstacles.length > 0
    ? place.replicaObstacles.join('; ')
    : undefined;
}

/**
 * A `healthcheck` that fits the image: the store's own client where the image is a known store
 * (`pg_isready`, `redis-cli ping`), else an HTTP request to its port. Always a guess to review:
 * the command must exist in the image, and the port and path are the service's to say.
 */
function healthcheckFor(c: Component, place: ServicePlaces): { check: Record<string, unknown>; caution: string } {
  const image = place.image ?? '';
  const match = kindOfImage(image)?.match ?? '';
  const byStore: Record<string, string[]> = {
    postgres: ['CMD', 'pg_isready'],
    postgis: ['CMD', 'pg_isready'],
    timescaledb: ['CMD', 'pg_isready'],
    mysql: ['CMD', 'mysqladmin', 'ping', '-h', 'localhost'],
    mariadb: ['CMD', 'healthcheck.sh', '--connect', '--innodb_initialized'],
    redis: ['CMD', 'redis-cli', 'ping'],
    valkey: ['CMD', 'valkey-cli', 'ping'],
    mongo: ['CMD', 'mongosh', '--quiet', '--eval', "db.adminCommand('ping')"],
    rabbitmq: ['CMD', 'rabbitmq-diagnostics', '-q', 'ping'],
  };
  const store = byStore[match];
  if (store) {
    return {
      check: { test: flow(store), interval: '10s', timeout: '5s', retries: 5 },
      caution: `the test command is a guess: check that ${store[1]} runs in ${image}`,
    };
  }
  const port = place.port ?? 80;
  const path = c.kind === 'service' || c.kind === 'load-balancer' ? '/healthz' : '/';
  return {
    check: {
      test: flow(['CMD-SHELL', `curl -fsS http://localhost:${port}${path} || exit 1`]),
      interval: '10s',
      timeout: '5s',
      retries: 3,
    },
    caution: `the test command is a guess: check that the image has curl and serves ${path} on port ${port}`,
  };
}
