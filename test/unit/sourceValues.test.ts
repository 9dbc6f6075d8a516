import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  IMAGE_KINDS,
  hostsInCommand,
  hostsInValue,
  interpolate,
  kindOfImage,
  type HostMention,
} from '../../extension/src/engine/sources/values';

/** The services of a typical compose project or namespace. */
const SERVICES = new Set([
  'db',
  'cache',
  'redis',
  'rabbitmq',
  'kafka',
  'kafka-1',
  'kafka-2',
  'zookeeper',
  'es01',
  'es02',
  'api',
  'info',
  'wordpress',
  'monitoring-influxdb',
  'mongo1',
  'mongo2',
  'api.shop.svc.cluster.local',
  'orders.shop',
]);
const isHost = (name: string) => SERVICES.has(name);

/** The names found, and that every range spells its name. */
function names(value: string, key?: string): string[] {
  const found = hostsInValue(value, { key, isHost });
  for (const m of found) expect(value.slice(m.start, m.end)).toBe(m.name);
  return found.map((m) => m.name);
}

describe('hostsInValue', () => {
  it.each<[key: string | undefined, value: string, hosts: string[]]>([
    // URLs, wherever they stand in the value.
    ['DATABASE_URL', 'postgres://app:secret@db:5432/app', ['db']],
    ['SPRING_DATASOURCE_URL', 'jdbc:postgresql://db:5432/x', ['db']],
    ['SPRING_DATASOURCE_URL', 'jdbc:sqlserver://db:1433;databaseName=shop', ['db']],
    ['AMQP_URL', 'amqp://guest:guest@rabbitmq:5672/', ['rabbitmq']],
    ['CELERY_BROKER_URL', 'redis://redis:6379/0', ['redis']],
    ['CACHE', 'redis://cache:6379', ['cache']],
    ['UPSTREAM', 'http://api:8080/v1', ['api']],
    ['UPSTREAM', 'http://api/v1', ['api']],
    ['ELASTICSEARCH_HOSTS', 'http://es01:9200,http://es02:9200', ['es01', 'es02']],
    ['MONGO_URL', 'mongodb://root:example@mongo1:27017,mongo2:27017/shop?replicaSet=rs0', ['mongo1', 'mongo2']],
    ['MONGO_URL', 'mongodb://root:12345@mongo1:27017/shop', ['mongo1']],
    [undefined, '--sink=influxdb:http://monitoring-influxdb:8086', ['monitoring-influxdb']],
    ['OPTS', '-Dspring.redis.url=redis://cache:6379 -Xmx512m', ['cache']],
    ['JSON', '{"upstream":"http://api:8080"}', ['api']],
    ['API_URL', 'http://api.shop.svc.cluster.local:8080/', ['api.shop.svc.cluster.local']],
    // name:port, alone or in a list, also after = and @.
    ['KAFKA_BOOTSTRAP_SERVERS', 'kafka:9092', ['kafka']],
    ['BROKERS', 'kafka-1:9092,kafka-2:9092', ['kafka-1', 'kafka-2']],
    ['BROKERS', 'kafka-1:9092, kafka-2:9092', ['kafka-1', 'kafka-2']],
    ['KAFKA_ZOOKEEPER_CONNECT', 'zookeeper:2181/kafka', ['zookeeper']],
    ['ORACLE', 'jdbc:oracle:thin:@db:1521:XE', ['db']],
    ['ARGS', '--brokers=kafka:9092', ['kafka']],
    // A bare name under a key that holds an address.
    ['REDIS_HOST', 'cache', ['cache']],
    ['redis_host', ' cache ', ['cache']],
    ['REDIS_HOST', '"cache"', ['cache']],
    ['WORDPRESS_DB_HOST', 'db', ['db']],
    ['WORDPRESS_DB_HOST', 'db:3306', ['db']],
    ['ORDERS_SERVICE_HOST', 'orders.shop', ['orders.shop']],
    ['DB_ADDR', 'db', ['db']],
    ['DB_ADDRESS', 'db', ['db']],
    ['API_URI', 'api', ['api']],
    ['SENTRY_DSN', 'api', ['api']],
    ['API_ENDPOINT', 'api', ['api']],
    ['SMTP_SERVER', 'api', ['api']],
    ['PAYMENTS_SERVICE', 'api', ['api']],
    ['ELASTICSEARCH_HOSTS', 'es01,es02', ['es01', 'es02']],
    ['ELASTICSEARCH_HOSTS', 'es01 es02', ['es01', 'es02']],
    ['ELASTICSEARCH_HOSTS', '["es01","es02"]', ['es01', 'es02']],
    // Names no host.
    ['MYSQL_USER', 'wordpress', []],
    ['LOG_LEVEL', 'info', []],
    [undefined, 'info', []],
    ['FEATURE', 'true', []],
    ['PORT', '8080', []],
    ['DOCKER_HOST', 'unix:///var/run/docker.sock', []],
    ['SOCKET', '/var/run/x.sock', []],
    ['HEALTH', 'localhost:80', []],
    ['HOST', 'api', []], // no prefix: usually what the server binds to
    ['REDIS_HOST', 'cache-replica', []], // not a service
    ['REDIS_HOST', 'cache two', []],
    ['DB_PASSWORD', 'db:5432x', []],
    ['WHEN', '10:30', []],
    ['REDIS_IMAGE', 'redis:7', []],
    ['IMAGE', 'kafka:9092/app:1', []],
    ['GREETING', 'hello api', []],
    ['KAFKA_LISTENERS', 'PLAINTEXT://:9092', []],
    ['URL', 'http://[::1]:8080/', []],
  ])('%s=%s names %j', (key, value, hosts) => {
    expect(names(value, key)).toEqual(hosts);
  });

  it('passes the full candidate to isHost, domains and all', () => {
    const asked: string[] = [];
    hostsInValue('http://api.shop.svc.cluster.local:8080 cache.default:6379', {
      isHost: (n) => (asked.push(n), false),
    });
    expect(asked).toEqual(['api.shop.svc.cluster.local', 'cache.default']);
  });

  it('gives each place once, in order, with its offsets', () => {
    expect(hostsInValue('redis://cache:6379,cache:6380 http://api:1', { key: 'X', isHost })).toEqual<HostMention[]>([
      { name: 'cache', start: 8, end: 13 },
      { name: 'cache', start: 19, end: 24 },
      { name: 'api', start: 37, end: 40 },
    ]);
    expect(hostsInValue('  db  ', { key: 'PGHOST_DB_HOST', isHost })).toEqual([{ name: 'db', start: 2, end: 4 }]);
  });

  it('a host only when isHost says so: localhost:80 with a service named localhost', () => {
    expect(hostsInValue('localhost:80', { isHost: (n) => n === 'localhost' })).toEqual([{ name: 'localhost', start: 0, end: 9 }]);
  });

  it('never throws, and every mention spells its name inside the value', () => {
    const unit = fc.constantFrom(
      'a',
      'b',
      'db',
      '-',
      '_',
      '.',
      ':',
      '/',
      '@',
      ',',
      ' ',
      '=',
      '"',
      '9',
      '80',
      '://',
      '[',
      ']',
      'é',
    );
    const value = fc.oneof(fc.string(), fc.string({ unit, maxLength: 40 }));
    const key = fc.option(fc.oneof(fc.string(), fc.constantFrom('REDIS_HOST', 'ES_HOSTS', 'X_IMAGE', 'DB_URL')), {
      nil: undefined,
    });
    fc.assert(
      fc.property(value, key, (v, k) => {
        const found = hostsInValue(v, { key: k, isHost: () => true });
        let last = -1;
        for (const m of found) {
          expect(m.start).toBeGreaterThanOrEqual(0);
          expect(m.end).toBeLessThanOrEqual(v.length);
          expect(m.start).toBeGreaterThanOrEqual(last);
          expect(v.slice(m.start, m.end)).toBe(m.name);
          last = m.end;
        }
      }),
      { numRuns: 2000, seed: 11 },
    );
  });
});

describe('hostsInCommand', () => {
  /** `word:name` for each mention, checking that its range spells it. */
  function found(words: string[]): string[] {
    return hostsInCommand(words, isHost).map(({ word, mention }) => {
      expect(words[word]!.slice(mention.start, mention.end)).toBe(mention.name);
      return `${word}:${mention.name}`;
    });
  }

  it.each<[words: string[], hosts: string[]]>([
    [['redis-cli', '-h', 'cache', 'ping'], ['2:cache']],
    [['sh', '-c', 'until pg_isready -h db; do sleep 1; done'], ['2:db']],
    [['sh', '-c', "redis-cli -h 'cache' ping && exec app"], ['2:cache']],
    [['psql', '--host', 'db', '-U', 'postgres'], ['2:db']],
    [['app', '--host=cache'], ['1:cache']],
    [
      ['app', '--redis-host=cache', '--db-host', 'db'],
      ['1:cache', '3:db'],
    ],
    [['app', '-redis.host', 'cache'], ['2:cache']],
    [['app', '--redisHost', 'cache'], ['2:cache']],
    [['sh', '-c', 'app --host="cache"'], ['2:cache']],
    [
      ['heapster', '--source=kubernetes:https://kubernetes.default', '--sink=influxdb:http://monitoring-influxdb:8086'],
      ['2:monitoring-influxdb'],
    ],
    [
      ['app', '--brokers=kafka-1:9092,kafka-2:9092'],
      ['1:kafka-1', '1:kafka-2'],
    ],
    [['wait-for-it', 'db:5432', '--', 'npm', 'start'], ['1:db']],
    [['curl', '-fsS', 'http://api:8080/health'], ['2:api']],
    [['sh', '-c', 'curl -fsS "http://api:8080/health" || exit 1'], ['2:api']],
    // Names no host.
    [['app', '-h'], []],
    [['app', '-h', '-p', 'db'], []], // -p's value, not -h's
    [['curl', '-H', 'db'], []], // -H is a header
    [['uvicorn', 'main:app', '--host', '0.0.0.0'], []],
    [['echo', 'db'], []],
    [['sh', '-c', 'echo info; sleep 5'], []],
    [['app', '--ghost', 'db'], []],
  ])('%j names %j', (words, hosts) => {
    expect(found(words)).toEqual(hosts);
  });

  it('never throws, and every mention spells its name inside its word', () => {
    const unit = fc.constantFrom('a', 'db', '-h', '--host', '=', ':', '80', '/', ' ', ';', '"', "'", '://', '@', ',');
    const word = fc.oneof(fc.string(), fc.string({ unit, maxLength: 20 }));
    fc.assert(
      fc.property(fc.array(word, { maxLength: 6 }), (words) => {
        for (const { word: w, mention } of hostsInCommand(words, () => true)) {
          expect(w).toBeGreaterThanOrEqual(0);
          expect(w).toBeLessThan(words.length);
          expect(mention.start).toBeGreaterThanOrEqual(0);
          expect(mention.end).toBeLessThanOrEqual(words[w]!.length);
          expect(words[w]!.slice(mention.start, mention.end)).toBe(mention.name);
        }
      }),
      { numRuns: 1000, seed: 12 },
    );
  });
});

describe('kindOfImage', () => {
  it.each<[image: string, kind: string | undefined, match?: string]>([
    ['postgres', 'database', 'postgres'],
    ['docker.io/library/postgres:16-alpine', 'database', 'postgres'],
    ['postgis/postgis:16-3.4', 'database', 'postgis'],
    ['bitnami/postgresql:16', 'database', 'postgresql'],
    ['timescale/timescaledb:latest-pg16', 'database', 'timescaledb'],
    ['mysql:8.0', 'database', 'mysql'],
    ['mysql/mysql-server:8.0', 'database', 'mysql-server'],
    ['mariadb:11', 'database', 'mariadb'],
    ['mongo:7', 'database', 'mongo'],
    ['cassandra:4.1', 'database', 'cassandra'],
    ['scylladb/scylla:5.4', 'database', 'scylla'],
    ['cockroachdb/cockroach:v23.2.0', 'database', 'cockroach'],
    ['couchdb:3', 'database', 'couchdb'],
    ['docker.elastic.co/elasticsearch/elasticsearch:8.13.0', 'database', 'elasticsearch'],
    ['opensearchproject/opensearch:2', 'database', 'opensearch'],
    ['mcr.microsoft.com/mssql/server:2022-latest', 'database', 'mssql/server'],
    ['gvenzl/oracle-xe:21-slim', 'database', 'oracle-xe'],
    ['container-registry.oracle.com/database/enterprise:21.3.0.0', 'database', 'database/enterprise'],
    ['clickhouse/clickhouse-server:24', 'database', 'clickhouse-server'],
    ['neo4j:5', 'database', 'neo4j'],
    ['influxdb:2.7', 'database', 'influxdb'],
    ['zookeeper:3.9', 'database', 'zookeeper'],
    ['confluentinc/cp-zookeeper:7.6.0', 'database', 'cp-zookeeper'],
    ['redis', 'cache', 'redis'],
    ['redis:7-alpine', 'cache', 'redis'],
    ['bitnami/redis@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef', 'cache', 'redis'],
    ['bitnami/redis:7.2@sha256:0123456789abcdef', 'cache', 'redis'],
    ['valkey/valkey:8', 'cache', 'valkey'],
    ['memcached:1.6', 'cache', 'memcached'],
    ['eqalpha/keydb', 'cache', 'keydb'],
    ['docker.dragonflydb.io/dragonflydb/dragonfly', 'cache', 'dragonfly'],
    ['redis/redis-stack-server:latest', 'cache', 'redis-stack-server'],
    ['rabbitmq:3-management', 'queue', 'rabbitmq'],
    ['confluentinc/cp-kafka:7.6.0', 'queue', 'cp-kafka'],
    ['bitnami/kafka:3.7', 'queue', 'kafka'],
    ['apache/kafka:3.7.0', 'queue', 'kafka'],
    ['nats:2.10', 'queue', 'nats'],
    ['docker.redpanda.com/redpandadata/redpanda:v23.3.5', 'queue', 'redpanda'],
    ['apache/activemq-artemis:2.33.0', 'queue', 'activemq-artemis'],
    ['apachepulsar/pulsar:3.2.0', 'queue', 'pulsar'],
    ['minio/minio:RELEASE.2024-01-01T00-00-00Z', 'storage', 'minio'],
    ['quay.io/minio/minio', 'storage', 'minio'],
    ['chrislusf/seaweedfs', 'storage', 'seaweedfs'],
    ['localhost:5000/postgres', 'database', 'postgres'],
    ['REDIS:7', 'cache', 'redis'],
    // Not the store.
    ['registry.example.com:5000/team/redis-exporter', undefined],
    ['oliver006/redis_exporter:v1.58.0', undefined],
    ['prometheuscommunity/postgres-exporter', undefined],
    ['danielqsj/kafka-exporter', undefined],
    ['zalando/postgres-operator', undefined],
    ['dpage/pgadmin4', undefined],
    ['rediscommander/redis-commander', undefined],
    ['provectuslabs/kafka-ui', undefined],
    ['mongo-express', undefined],
    ['redis-sentinel', undefined],
    ['nginx:1.25', undefined],
    ['ghcr.io/acme/orders:1.4.2', undefined],
    ['redis.example.com/app', undefined], // redis is the registry here
    ['', undefined],
    ['mssql', undefined],
    ['server', undefined],
  ])('%s → %s', (image, kind, match) => {
    expect(kindOfImage(image)).toEqual(kind ? { kind, match } : undefined);
  });

  it('the table names each image once, in lower case, as a path tail of one or two segments', () => {
    const all = IMAGE_KINDS.flatMap((e) => e.names);
    expect(new Set(all).size).toBe(all.length);
    for (const name of all) expect(name).toMatch(/^[a-z0-9][a-z0-9._-]*(\/[a-z0-9][a-z0-9._-]*)?$/);
  });

  it('never throws', () => {
    fc.assert(
      fc.property(fc.string(), (image) => {
        const found = kindOfImage(image);
        if (found) expect(IMAGE_KINDS.some((e) => e.kind === found.kind && e.names.includes(found.match))).toBe(true);
      }),
      { numRuns: 1000, seed: 13 },
    );
  });
});

describe('interpolate', () => {
  it.each<[value: string, text: string, variables: string[], problems: number]>([
    ['plain', 'plain', [], 0],
    ['', '', [], 0],
    ['${POSTGRES_IMAGE:-postgres:16}', 'postgres:16', ['POSTGRES_IMAGE'], 0],
    ['${TAG-latest}', 'latest', ['TAG'], 0],
    ['${TAG:-}', '', ['TAG'], 0],
    [
      'postgres://app:${DB_PASSWORD:-secret}@${DB_HOST:-db}:5432/app',
      'postgres://app:secret@db:5432/app',
      ['DB_PASSWORD', 'DB_HOST'],
      0,
    ],
    ['${A:-${B:-x}}', 'x', ['A', 'B'], 0],
    ['${A:-pre-${B-in}-post}', 'pre-in-post', ['A', 'B'], 0],
    ['${A:-$B}', '', ['A', 'B'], 0],
    ['${REDIS_URL}', '', ['REDIS_URL'], 0],
    ['$HOME/data', '/data', ['HOME'], 0],
    ['${A:+yes}', '', ['A'], 0],
    ['${A+yes}', '', ['A'], 0],
    ['${A:+${B}}', '', ['A'], 0],
    ['price: $$5', 'price: $5', [], 0],
    ['$${NOT_A_VAR}', '${NOT_A_VAR}', [], 0],
    ['${A:-$${x}}', '${x}', ['A'], 0],
    ['${SECRET:?set SECRET}', '', ['SECRET'], 1],
    ['key=${SECRET?}', 'key=', ['SECRET'], 1],
    ['${A:-{x}}', '{x}', ['A'], 0],
    ['${A:-a}b}', 'ab}', ['A'], 0],
    // Problems, kept as written.
    ['x ${A:-b', 'x ${A:-b', [], 1],
    ['${}', '${}', [], 1],
    ['${1A}', '${1A}', [], 1],
    ['${A*b}', '${A*b}', ['A'], 1],
    ['${A:}', '${A:}', ['A'], 1],
    ['cost $5', 'cost $5', [], 1],
    ['end $', 'end $', [], 1],
  ])('%s → %j', (value, text, variables, problems) => {
    const result = interpolate(value);
    expect(result.text).toBe(text);
    expect(result.variables).toEqual(variables);
    expect(result.problems).toHaveLength(problems);
  });

  it('places problems on what they are about', () => {
    expect(interpolate('x ${A:-b').problems).toEqual([{ start: 2, end: 4, message: expect.stringContaining('Unclosed') }]);
    const required = interpolate('a=${DB_PASSWORD:?must be set}').problems;
    expect(required).toEqual([
      { start: 2, end: 29, message: expect.stringContaining('${DB_PASSWORD} is required (must be set)') },
    ]);
    // A problem inside a default is at its place in the whole value.
    expect(interpolate('${A:-${B:?no}}').problems.map((p) => [p.start, p.end])).toEqual([[5, 13]]);
  });

  it('keeps defaults nested too deep as written, without recursing further', () => {
    const depth = 200;
    const value = '${A:-'.repeat(depth) + 'x' + '}'.repeat(depth);
    const result = interpolate(value);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]!.message).toMatch(/nested more than 32/);
  });

  it('never throws; without $ a value is itself; problems lie inside the value', () => {
    const unit = fc.constantFrom('$', '{', '}', ':', '-', '?', '+', 'A', '_', '1', ' ', 'x');
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit, maxLength: 40 })), (value) => {
        const result = interpolate(value);
        if (!value.includes('$')) expect(result).toEqual({ text: value, problems: [], variables: [] });
        for (const p of result.problems) {
          expect(p.start).toBeGreaterThanOrEqual(0);
          expect(p.end).toBeLessThanOrEqual(value.length);
          expect(p.start).toBeLessThan(p.end);
        }
        for (const v of result.variables) expect(v).toMatch(/^[A-Za-z_][A-Za-z0-9_]*$/);
      }),
      { numRuns: 2000, seed: 14 },
    );
  });
});
