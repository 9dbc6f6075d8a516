/**
 * Reading values the way the Compose and Kubernetes adapters both need them (docs/SOURCES.md,
 * "Inferences shared by both sources"):
 *
 * - {@link hostsInValue} and {@link hostsInCommand}: the hosts an environment value or a
 *   command word names ("A host in a value"), so an adapter can infer `depends-on`;
 * - {@link kindOfImage}: a component's kind from its container image, by {@link IMAGE_KINDS};
 * - {@link interpolate}: Compose's `${VAR:-default}` interpolation, without reading any
 *   environment.
 *
 * Pure string functions: no files, no environment, no state. Every offset is a UTF-16 offset
 * into the string given, and no input makes them throw (only a caller's `isHost` can).
 */

/** One host named in a value: `value.slice(start, end) === name`. */
export interface HostMention {
  /** The host as written (`cache`, `api.shop.svc.cluster.local`): what `isHost` accepted. */
  name: string;
  /** Offset of the name's first character in the value (or command word) searched. */
  start: number;
  /** Offset just past the name's last character. */
  end: number;
}

/** Says whether a candidate host, exactly as written, names a known service. */
export type IsHost = (name: string) => boolean;

// A host name as it can appear in a value: DNS labels (and the `_` Compose allows in service
// names) joined by dots, starting and ending on a letter or digit.
const HOST_NAME = '[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?';
const WHOLE_HOST = new RegExp(`^${HOST_NAME}$`);
/** One host of a URL's authority, with its optional port (`db`, `db:5432`). */
const AUTHORITY_HOST = new RegExp(`^(${HOST_NAME})(?::\\d{1,5})?$`);
/** The start of a URL: a scheme at a word boundary and `://` (`jdbc:postgresql://` finds `postgresql://`). */
const URL_SCHEME = /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]*:\/\//g;
/** Characters that end a URL's authority (user info, hosts and ports). */
const AUTHORITY_END = /[/?#\s;'"<>()[\]{}|\\`]/;
/**
 * `name:port` standing on its own: not inside a longer name on the left, and not followed by a
 * name character or `@` (so a URL's `user:1234@host` is no host).
 */
const NAME_PORT = new RegExp(`(?<![A-Za-z0-9_.-])(${HOST_NAME}):\\d{1,5}(?![A-Za-z0-9_.@-])`, 'g');

/**
 * Environment keys that say they hold one address, so a bare name under them is a host
 * (`REDIS_HOST=cache`, `DB_SERVICE_HOST`, `API_URL=api`). Case-insensitive; the key needs a
 * prefix (`HOST` alone is usually the address a server binds to).
 */
const ADDRESS_KEY = /^.+_(?:HOST|ADDR|ADDRESS|URL|URI|DSN|ENDPOINT|SERVER|SERVICE)$/i;
/** Environment keys that hold a comma or space separated list of hosts (`ELASTICSEARCH_HOSTS=es01,es02`). */
const ADDRESS_LIST_KEY = /^.+_HOSTS$/i;
/**
 * Keys that hold an image reference, whose `registry:5000/app` or `redis:7` is no `name:port`.
 */
const IMAGE_KEY = /IMAGE$/i;
/** Separators of a host list under an `*_HOSTS` key (also the brackets and quotes of a JSON list). */
const HOST_LIST_SEPARATORS = /[\s,[\]"']+/;

/** A candidate host, before `isHost` has judged it. */
type Candidate = HostMention;

/** Hosts of every URL in `text` (`redis://cache:6379`, `mongodb://u:p@m1:27017,m2:27017/db`). */
function urlHosts(text: string, out: Candidate[]): void {
  for (const m of text.matchAll(URL_SCHEME)) {
    const from = m.index + m[0].length;
    let to = from;
    while (to < text.length && !AUTHORITY_END.test(text[to]!)) to++;
    // User info ends at the last `@` of the authority; hosts follow, several separated by commas.
    let pos = from + text.slice(from, to).lastIndexOf('@') + 1;
    for (const piece of text.slice(pos, to).split(',')) {
      const host = AUTHORITY_HOST.exec(piece)?.[1];
      if (host !== undefined) out.push({ name: host, start: pos, end: pos + host.length });
      pos += piece.length + 1;
    }
  }
}

/** Every `name:port` in `text` (`kafka-1:9092,kafka-2:9092`, `--brokers=kafka:9092`, `zookeeper:2181/kafka`). */
function namePortHosts(text: string, out: Candidate[]): void {
  for (const m of text.matchAll(NAME_PORT)) {
    out.push({ name: m[1]!, start: m.index, end: m.index + m[1]!.length });
  }
}

/** The span of `text` without surrounding white space and one pair of matching quotes. */
function trimmedSpan(text: string): [number, number] {
  let start = 0;
  let end = text.length;
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  const first = text[start];
  if (end - start >= 2 && (first === '"' || first === "'") && text[end - 1] === first) {
    start++;
    end--;
  }
  return [start, end];
}

/** The bare names of a value under an address key (`REDIS_HOST=cache`, `ES_HOSTS=es01,es02`). */
function keyedHosts(value: string, key: string, out: Candidate[]): void {
  if (ADDRESS_LIST_KEY.test(key)) {
    let pos = 0;
    for (const piece of value.split(HOST_LIST_SEPARATORS)) {
      const start = value.indexOf(piece, pos);
      if (piece && WHOLE_HOST.test(piece)) out.push({ name: piece, start, end: start + piece.length });
      pos = start + piece.length;
    }
  } else if (ADDRESS_KEY.test(key)) {
    const [start, end] = trimmedSpan(value);
    const name = value.slice(start, end);
    if (WHOLE_HOST.test(name)) out.push({ name, start, end });
  }
}

/**
 * The candidates `isHost` accepts, in order of offset, dropping one that overlaps a candidate
 * already kept (the URL scan and the `name:port` scan find `cache` in `redis://cache:6379` both).
 */
function accepted(candidates: Candidate[], isHost: IsHost): HostMention[] {
  candidates.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: HostMention[] = [];
  let keptEnd = -1;
  let previous: Candidate | undefined;
  for (const c of candidates) {
    // The same span found twice is judged once.
    const repeated = previous !== undefined && previous.start === c.start && previous.end === c.end;
    previous = c;
    if (repeated || c.start < keptEnd) continue;
    if (!isHost(c.name)) continue;
    out.push(c);
    keptEnd = c.end;
  }
  return out;
}

/**
 * The hosts named in one environment value (Kubernetes `env` or an `envFrom` ConfigMap entry,
 * Compose `environment`), as docs/SOURCES.md "A host in a value" defines them:
 *
 * - the host of every URL in the value, wherever it stands (`redis://cache:6379`,
 *   `postgres://u:p@db:5432/x`, `jdbc:postgresql://db:5432/x`,
 *   `--sink=influxdb:http://monitoring-influxdb:8086`), each host of a multi-host authority
 *   (`mongodb://m1:27017,m2:27017/db`);
 * - every `name:port`, alone or in a comma list (`kafka-1:9092,kafka-2:9092`), also after `=`
 *   or `@` (`--brokers=kafka:9092`, `jdbc:oracle:thin:@db:1521:XE`); not under a key that
 *   holds an image (`*IMAGE`), where `registry:5000/app` is no host;
 * - the bare value under a key that says it holds an address (`*_HOST`, `*_ADDR`,
 *   `*_ADDRESS`, `*_URL`, `*_URI`, `*_DSN`, `*_ENDPOINT`, `*_SERVER`, `*_SERVICE`, hence
 *   `*_SERVICE_HOST`; case-insensitive, with a prefix), trimmed of white space and quotes;
 *   under `*_HOSTS` each name of a comma or space list.
 *
 * A candidate is a host only when `isHost` accepts it, exactly as written: a Kubernetes caller
 * resolves `api.shop.svc.cluster.local` itself, and `localhost:80` is a host only if it says
 * so. Nothing else names a host: `MYSQL_USER=wordpress`, `LOG_LEVEL=info`, `8080`,
 * `/var/run/docker.sock`. Whether a mention names the component itself is the caller's to judge.
 *
 * @returns each mention once, by offset; the same name at two places is two mentions.
 */
export function hostsInValue(value: string, options: { key?: string; isHost: IsHost }): HostMention[] {
  const candidates: Candidate[] = [];
  urlHosts(value, candidates);
  if (options.key === undefined || !IMAGE_KEY.test(options.key)) namePortHosts(value, candidates);
  if (options.key !== undefined) keyedHosts(value, options.key, candidates);
  return accepted(candidates, options.isHost);
}

/**
 * A flag whose next word (or `=` value) is a host: `-h` (as `redis-cli`, `pg_isready`, `psql`,
 * `mysql` take it), `--host`, and any flag ending in `host` after a `-`, `_` or `.`
 * (`--redis-host`, `--db.host`) or in camel case (`--redisHost`); one dash or two, as Go's
 * `flag` package writes them (`-host=db`). `-H` is not one (curl's header).
 */
const HOST_FLAG = /^(?:-h|--?(?:[A-Za-z0-9_.-]*[-_.])?[Hh][Oo][Ss][Tt]|--?[a-z][A-Za-z0-9]*Host)$/;
/** A flag with its value: `--host=cache`, `-redis.addr=cache:6379`. */
const FLAG_WITH_VALUE = /^(--?[A-Za-z0-9][A-Za-z0-9_.-]*)=/;
/**
 * Where a shell string splits into words, roughly: white space, the operators `; & | ( ) < >`,
 * and quotes and backquotes (so `"cache"` and `'http://api:8080'` read as their content).
 */
const SHELL_SEPARATORS = /[\s;&|()<>'"`]+/;

/** One shell-ish word of a command: which command word it is in, and where. */
interface ShellWord {
  word: number;
  text: string;
  start: number;
}

/** The shell-ish words of command words; a word with spaces (`sh -c "…"`'s script) gives several. */
function shellWords(words: readonly string[]): ShellWord[] {
  const out: ShellWord[] = [];
  words.forEach((word, index) => {
    let pos = 0;
    for (const text of word.split(SHELL_SEPARATORS)) {
      const start = word.indexOf(text, pos);
      if (text) out.push({ word: index, text, start });
      pos = start + text.length;
    }
  });
  return out;
}

/**
 * The hosts named in a command: Kubernetes `command` and `args`, Compose `command` and
 * `entrypoint` (a string form split as the caller sees fit, or given as one word). A word with
 * white space is a shell script (`sh -c "until pg_isready -h db; do sleep 1; done"`) and is read
 * as shell-ish words, split at white space, `;`, `&`, `|`, parentheses, redirections and quotes.
 * In every word:
 *
 * - URLs and `name:port` anywhere, as in {@link hostsInValue} (so `--flag=value` parts too:
 *   `--sink=influxdb:http://monitoring-influxdb:8086`, `--brokers=kafka:9092`);
 * - the bare name right after a host flag (`-h`, `--host`, `--*-host`; see `HOST_FLAG`), in the
 *   same word or the next (`["redis-cli", "-h", "cache"]`), and the value of `--host=cache`.
 *
 * @returns each mention once, in word order then offset order; `mention`'s offsets are into
 *   `words[word]`.
 */
export function hostsInCommand(words: readonly string[], isHost: IsHost): { word: number; mention: HostMention }[] {
  const byWord = new Map<number, Candidate[]>();
  const add = (word: number, c: Candidate) => {
    const list = byWord.get(word);
    if (list) list.push(c);
    else byWord.set(word, [c]);
  };
  const shell = shellWords(words);
  let afterHostFlag = false;
  for (const w of shell) {
    const found: Candidate[] = [];
    urlHosts(w.text, found);
    namePortHosts(w.text, found);
    if (afterHostFlag && WHOLE_HOST.test(w.text)) found.push({ name: w.text, start: 0, end: w.text.length });
    afterHostFlag = HOST_FLAG.test(w.text);
    const flag = FLAG_WITH_VALUE.exec(w.text);
    if (flag && HOST_FLAG.test(flag[1]!)) {
      const name = w.text.slice(flag[0].length);
      if (WHOLE_HOST.test(name)) found.push({ name, start: flag[0].length, end: w.text.length });
      // `--host="cache"` splits at the quote: the name is the next shell word.
      afterHostFlag = name === '';
    }
    for (const c of found) add(w.word, { name: c.name, start: w.start + c.start, end: w.start + c.end });
  }
  const out: { word: number; mention: HostMention }[] = [];
  for (const word of [...byWord.keys()].sort((a, b) => a - b)) {
    for (const mention of accepted(byWord.get(word)!, isHost)) out.push({ word, mention });
  }
  return out;
}

/** The kinds an image can give a component (the rest are `service`). */
export type ImageKind = 'cache' | 'database' | 'queue' | 'storage';

/** One store in {@link IMAGE_KINDS}. */
export interface ImageKindEntry {
  kind: ImageKind;
  /**
   * The repository names that run it, matched against the end of the image's repository path:
   * one segment (`postgres` matches `postgres`, `library/postgres`, `bitnami/postgres`) or, for
   * a vendor whose last segment says nothing by itself, two (`mssql/server`).
   */
  names: readonly string[];
}

/**
 * The documented table from container image to kind (docs/SOURCES.md, "Kubernetes → the
 * model", row "kind"). Names are exact: an image matches when its repository path ends with one
 * of them, ignoring registry, tag and digest. Exporters, operators, admin consoles and UIs
 * (`redis-exporter`, `postgres-operator`, `pgadmin4`, `redis-commander`, `kafka-ui`,
 * `mongo-express`) are not the store and match nothing.
 *
 * Decisions beyond the obvious:
 * - search engines (Elasticsearch, OpenSearch, Solr) are databases: for availability they are a
 *   replicated store that callers read and write;
 * - ZooKeeper and etcd are databases: quorum-replicated stores of a cluster's metadata, not
 *   queues, and their loss loses state as a database's does;
 * - MQTT brokers (Mosquitto, EMQX) are queues; Hazelcast is a cache;
 * - HTTP caches (Varnish) are not: `cache` is a data store a service keeps state in.
 */
export const IMAGE_KINDS: readonly ImageKindEntry[] = [
  { kind: 'cache', names: ['redis', 'redis-stack', 'redis-stack-server', 'redis-cluster'] },
  { kind: 'cache', names: ['valkey', 'valkey-cluster'] },
  { kind: 'cache', names: ['memcached'] },
  { kind: 'cache', names: ['keydb'] },
  { kind: 'cache', names: ['dragonfly'] },
  { kind: 'cache', names: ['hazelcast'] },
  {
    kind: 'database',
    names: ['postgres', 'postgresql', 'postgresql-repmgr', 'postgis', 'pgvector', 'timescaledb', 'timescaledb-ha'],
  },
  { kind: 'database', names: ['mysql', 'mysql-server', 'mariadb', 'mariadb-galera', 'percona-server'] },
  {
    kind: 'database',
    names: ['mongo', 'mongodb', 'mongodb-sharded', 'mongodb-community-server', 'mongodb-enterprise-server'],
  },
  { kind: 'database', names: ['cassandra', 'scylla'] },
  { kind: 'database', names: ['cockroach'] },
  { kind: 'database', names: ['couchdb', 'couchbase', 'couchbase/server'] },
  { kind: 'database', names: ['elasticsearch', 'opensearch', 'solr'] },
  { kind: 'database', names: ['mssql/server', 'azure-sql-edge'] },
  { kind: 'database', names: ['oracle-xe', 'oracle-free', 'database/enterprise', 'database/free', 'database/express'] },
  { kind: 'database', names: ['clickhouse', 'clickhouse-server'] },
  { kind: 'database', names: ['neo4j'] },
  { kind: 'database', names: ['influxdb'] },
  { kind: 'database', names: ['zookeeper', 'cp-zookeeper', 'etcd'] },
  { kind: 'queue', names: ['rabbitmq'] },
  { kind: 'queue', names: ['kafka', 'cp-kafka', 'cp-server'] },
  { kind: 'queue', names: ['nats', 'nats-streaming'] },
  { kind: 'queue', names: ['redpanda'] },
  { kind: 'queue', names: ['activemq', 'activemq-classic', 'activemq-artemis'] },
  { kind: 'queue', names: ['pulsar', 'pulsar-all'] },
  { kind: 'queue', names: ['eclipse-mosquitto', 'emqx'] },
  { kind: 'storage', names: ['minio', 'seaweedfs'] },
];

/** {@link IMAGE_KINDS} by name, built once: a constant, not a cache. */
const KIND_BY_NAME: ReadonlyMap<string, ImageKind> = new Map(
  IMAGE_KINDS.flatMap((entry) => entry.names.map((name) => [name, entry.kind] as const)),
);

/**
 * The path segments of an image's repository, lower case, without registry, tag and digest:
 * `registry.example.com:5000/team/app:1@sha256:…` → `['team', 'app']`.
 */
function repositoryPath(image: string): string[] {
  let ref = image.trim().toLowerCase();
  const digest = ref.indexOf('@');
  if (digest >= 0) ref = ref.slice(0, digest);
  const segments = ref.split('/');
  // The first segment is a registry when it has a dot or a port, or is localhost (as Docker reads it).
  if (segments.length > 1 && /[.:]|^localhost$/.test(segments[0]!)) segments.shift();
  const last = segments.length - 1;
  const tag = segments[last]!.indexOf(':');
  if (tag >= 0) segments[last] = segments[last]!.slice(0, tag);
  return segments.filter((s) => s !== '');
}

/**
 * The kind a container image gives a component, by {@link IMAGE_KINDS}:
 * `docker.io/library/postgres:16-alpine` → database, `bitnami/redis@sha256:…` → cache,
 * `confluentinc/cp-kafka:7.6.0` → queue, `mcr.microsoft.com/mssql/server:2022-latest` →
 * database; `oliver006/redis_exporter`, `registry.example.com:5000/team/redis-exporter` → none.
 *
 * @returns the kind and the table name that matched (`cp-kafka`, `mssql/server`), or
 *   `undefined` when the image is none of the table's (the component stays a `service`).
 */
export function kindOfImage(image: string): { kind: ImageKind; match: string } | undefined {
  const path = repositoryPath(image);
  for (const length of [2, 1]) {
    if (path.length < length) continue;
    const match = path.slice(-length).join('/');
    const kind = KIND_BY_NAME.get(match);
    if (kind) return { kind, match };
  }
  return undefined;
}

/** A problem found interpolating, at offsets into the value given. */
export interface InterpolationProblem {
  start: number;
  end: number;
  message: string;
}

/** A value after Compose interpolation. */
export interface Interpolated {
  /** The value as Compose would see it with no variable set. */
  text: string;
  problems: InterpolationProblem[];
  /** The variables the value names and interpolation reads, each once, in order. */
  variables: string[];
}

/** How deep `${A:-${B:-…}}` defaults may nest before the rest is kept literally (a bound on recursion). */
const MAX_DEFAULT_NESTING = 32;

/** State of one {@link interpolate} call. */
interface Interpolation {
  value: string;
  problems: InterpolationProblem[];
  variables: string[];
  /** `variables` as a set, so a value naming many variables is not quadratic. */
  seen: Set<string>;
}

function isNameStart(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z_]/.test(c);
}

function isNameChar(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9_]/.test(c);
}

/** Offset just past the variable name starting at `from` (`from` itself when none starts there). */
function nameEnd(value: string, from: number, to: number): number {
  if (from >= to || !isNameStart(value[from])) return from;
  let end = from + 1;
  while (end < to && isNameChar(value[end])) end++;
  return end;
}

/** The `}` closing a `${` whose content starts at `from`, counting nested `${…}` (and skipping `$$`); -1 if none. */
function closingBrace(value: string, from: number, to: number): number {
  let depth = 1;
  for (let i = from; i < to; i++) {
    const c = value[i];
    if (c === '$' && i + 1 < to && (value[i + 1] === '$' || value[i + 1] === '{')) {
      if (value[i + 1] === '{') depth++;
      i++;
    } else if (c === '}' && --depth === 0) {
      return i;
    }
  }
  return -1;
}

function noteVariable(state: Interpolation, name: string): void {
  if (state.seen.has(name)) return;
  state.seen.add(name);
  state.variables.push(name);
}

/** The text of `${…}` spanning `[dollar, close]`, with no variable set. */
function expandBraced(state: Interpolation, dollar: number, close: number, depth: number): string {
  const { value } = state;
  const literal = value.slice(dollar, close + 1);
  const nameFrom = dollar + 2;
  const end = nameEnd(value, nameFrom, close);
  const invalid = (): string => {
    state.problems.push({
      start: dollar,
      end: close + 1,
      message: `Invalid interpolation ${literal}: write \${NAME}, \${NAME:-default} or $$ for a literal $.`,
    });
    return literal;
  };
  if (end === nameFrom) return invalid();
  const name = value.slice(nameFrom, end);
  noteVariable(state, name);
  if (end === close) return '';
  const colon = value[end] === ':' ? 1 : 0;
  const operator = value[end + colon];
  const body = end + colon + 1;
  if (body > close) return invalid();
  switch (operator) {
    case '-':
      if (depth >= MAX_DEFAULT_NESTING) {
        state.problems.push({
          start: dollar,
          end: close + 1,
          message: `Defaults nested more than ${MAX_DEFAULT_NESTING} deep: kept as written.`,
        });
        return literal;
      }
      return expand(state, body, close, depth + 1);
    case '?': {
      const reason = value.slice(body, close);
      state.problems.push({
        start: dollar,
        end: close + 1,
        message:
          `\${${name}} is required${reason ? ` (${reason})` : ''}, and no environment is read: ` +
          'the value is read as empty. Give it a default with ${' +
          name +
          ':-…} to read one.',
      });
      return '';
    }
    case '+':
      return '';
    default:
      return invalid();
  }
}

/** The text of `value[from, to)` with no variable set. */
function expand(state: Interpolation, from: number, to: number, depth: number): string {
  const { value } = state;
  let out = '';
  let i = from;
  while (i < to) {
    const dollar = value.indexOf('$', i);
    if (dollar < 0 || dollar >= to) {
      out += value.slice(i, to);
      break;
    }
    out += value.slice(i, dollar);
    const next = dollar + 1 < to ? value[dollar + 1] : undefined;
    if (next === '$') {
      out += '$';
      i = dollar + 2;
    } else if (next === '{') {
      const close = closingBrace(value, dollar + 2, to);
      if (close < 0) {
        state.problems.push({ start: dollar, end: dollar + 2, message: 'Unclosed ${: no } ends it, so it is kept as written.' });
        out += value.slice(dollar, to);
        break;
      }
      out += expandBraced(state, dollar, close, depth);
      i = close + 1;
    } else {
      const end = nameEnd(value, dollar + 1, to);
      if (end > dollar + 1) {
        noteVariable(state, value.slice(dollar + 1, end));
        i = end;
      } else {
        // Compose rejects a lone `$` ("Invalid interpolation format"); read it as written.
        state.problems.push({ start: dollar, end: dollar + 1, message: 'A lone $ is no variable: write $$ for a literal $.' });
        out += '$';
        i = dollar + 1;
      }
    }
  }
  return out;
}

/**
 * Compose interpolation with no environment (docs/SOURCES.md: "`${VAR:-default}` takes the
 * default (no environment is read)"), so every variable is unset:
 *
 * - `${VAR:-default}`, `${VAR-default}` → the default, itself interpolated
 *   (`${A:-${B:-x}}` → `x`);
 * - `${VAR:?message}`, `${VAR?message}` → empty, with a problem: Compose would stop here;
 * - `${VAR:+alt}`, `${VAR+alt}`, `${VAR}`, `$VAR` → empty;
 * - `$$` → `$`;
 * - an unclosed `${` → a problem at it, the rest kept as written; a `${…}` that is no
 *   variable (`${}`, `${1A}`, `${A*b}`) or a lone `$` → a problem, kept as written.
 *
 * `variables` lists the names met where interpolation reads them: every `$VAR` and `${VAR…}`,
 * and those inside a default taken, not those inside an unused `:+alt` or a `:?message`.
 */
export function interpolate(value: string): Interpolated {
  const state: Interpolation = { value, problems: [], variables: [], seen: new Set() };
  const text = expand(state, 0, value.length, 0);
  return { text, problems: state.problems, variables: state.variables };
}
