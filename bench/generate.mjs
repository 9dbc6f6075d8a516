// Generates realistic architecture files for the benchmarks (and the incremental-lint test):
// a layered system of balancers, services, workers, caches, queues and databases over three
// zones, with health checks, retries, failover, any-of groups shared by many services, and
// comments. Deterministic: the same size always gives the same text.

/** A deterministic pseudo-random generator, so every run benchmarks the same files. */
export function random(seed) {
  let s = seed >>> 0;
  return () => (s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

const ZONES = ['eu-1a', 'eu-1b', 'eu-1c'];

/**
 * An architecture of `n` components as YAML text.
 * @param {number} n components
 * @param {{ seed?: number, anyOfGroups?: number }} [options] `anyOfGroups`: how many distinct
 *   any-of groups (pairs of regional replicas) the services share; by default one per 20 components.
 */
export function generateArchitecture(n, { seed = 7, anyOfGroups } = {}) {
  const rand = random(seed);
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const groups = Math.max(1, anyOfGroups ?? Math.round(n / 20));
  // Tiers, top to bottom: balancers (5%), services (45%), workers (10%), caches (10%), queues (5%),
  // databases (the rest, incl. the any-of pairs). Everything depends only on lower tiers: no cycles.
  const balancers = Math.max(1, Math.round(n * 0.05));
  const pairs = Math.min(groups, Math.floor(n * 0.1));
  const rest = n - balancers - pairs * 2;
  const services = Math.max(1, Math.round(rest * 0.5));
  const workers = Math.round(rest * 0.12);
  const caches = Math.round(rest * 0.12);
  const queues = Math.round(rest * 0.08);
  const databases = Math.max(0, rest - services - workers - caches - queues);
  const ids = {
    balancers: Array.from({ length: balancers }, (_, i) => `edge-${i}`),
    services: Array.from({ length: services }, (_, i) => `svc-${i}`),
    workers: Array.from({ length: workers }, (_, i) => `worker-${i}`),
    caches: Array.from({ length: caches }, (_, i) => `cache-${i}`),
    queues: Array.from({ length: queues }, (_, i) => `queue-${i}`),
    databases: Array.from({ length: databases }, (_, i) => `db-${i}`),
    pairs: Array.from({ length: pairs }, (_, i) => [`payments-eu-${i}`, `payments-us-${i}`]),
  };
  const near = (list, i, spread = 8) => list.length && list[(i + Math.floor(rand() * spread)) % list.length];
  const zonesOf = () => (rand() < 0.8 ? `[${ZONES.slice(0, 2 + Math.floor(rand() * 2)).join(', ')}]` : `[${pick(ZONES)}]`);
  const out = [];
  const line = (s = '') => out.push(s);

  line(`# Generated architecture with ${n} components (bench/generate.mjs): a layered system over three zones.`);
  line('archlint: 1');
  line(`name: generated-${n}`);
  line('slo: 99.9%');
  line('zones:');
  line('  eu-1a: { availability: 99.99% }');
  line('  eu-1b: {}');
  line('  eu-1c: {}');
  line('defaults:');
  line('  availability: 99.5%');
  line('rules:');
  line('  sticky-sessions: warning');
  line('  pet-in-cattle-pool: info');
  line('');
  line('components:');

  ids.balancers.forEach((id, i) => {
    line(`  # Entry ${i}: public traffic for one product area.`);
    line(`  ${id}:`);
    line('    kind: load-balancer');
    line('    entry: true');
    line('    public: true');
    line(`    load: ${50 + Math.floor(rand() * 400)}/s`);
    line(`    replicas: ${2 + Math.floor(rand() * 2)}`);
    line(`    zones: ${zonesOf()}`);
    line(`    balancing: ${rand() < 0.9 ? 'round-robin' : 'ip-hash'}`);
    const targets = new Set([near(ids.services, i * 9, 9), near(ids.services, i * 9, 9)]);
    line(`    routes-to: [${[...targets].join(', ')}]`);
    line(`    tls: ${rand() < 0.95 ? 'terminate' : 'none'}`);
    if (rand() < 0.8) line('    rate-limit: { anonymous: 60/min, authenticated: 600/min }');
    line('');
  });

  ids.services.forEach((id, i) => {
    if (rand() < 0.3) line(`  # ${id}: owns one slice of the domain.`);
    line(`  ${id}:`);
    line('    kind: service');
    if (rand() < 0.7) line(`    replicas: ${1 + Math.floor(rand() * 6)}`);
    else line(`    autoscale: { min: ${2 + Math.floor(rand() * 2)}, max: ${6 + Math.floor(rand() * 10)} }`);
    line(`    zones: ${zonesOf()}`);
    if (rand() < 0.1) line('    state: in-memory');
    if (rand() < 0.85) line(`    health-check: { path: /healthz, interval: ${5 + Math.floor(rand() * 25)}s }`);
    line(`    capacity: ${300 + Math.floor(rand() * 700)}/s`);
    line('    depends-on:');
    const deps = new Set();
    const later = ids.services.slice(i + 1);
    if (later.length && rand() < 0.4) deps.add(near(later, 0, 6));
    if (ids.databases.length) deps.add(near(ids.databases, i, 12));
    if (ids.caches.length && rand() < 0.6) deps.add(near(ids.caches, i, 10));
    for (const d of deps) line(`      - ${d}`);
    if (ids.queues.length && rand() < 0.3)
      line(`      - { component: ${near(ids.queues, i, 6)}, optional: true } # degraded, not down`);
    if (ids.pairs.length && rand() < 0.35) {
      const [eu, us] = ids.pairs[Math.floor(rand() * ids.pairs.length)];
      line(`      - { any-of: [${eu}, ${us}] }`);
    }
    if (rand() < 0.5) line(`    retry: { attempts: 3, backoff: exponential, jitter: ${rand() < 0.9} }`);
    line('');
  });

  ids.workers.forEach((id, i) => {
    line(`  ${id}:`);
    line('    kind: worker');
    line(`    replicas: ${1 + Math.floor(rand() * 4)}`);
    line(`    zones: ${zonesOf()}`);
    const deps = [ids.queues.length && near(ids.queues, i, 6), ids.databases.length && near(ids.databases, i, 12)].filter(
      Boolean,
    );
    if (deps.length) line(`    depends-on: [${[...new Set(deps)].join(', ')}]`);
    line('');
  });

  ids.caches.forEach((id) => {
    line(`  ${id}: { kind: cache, replicas: ${1 + Math.floor(rand() * 3)}, zones: ${zonesOf()} }`);
  });
  line('');

  ids.queues.forEach((id) => {
    line(`  ${id}:`);
    line('    kind: queue');
    line(`    replicas: ${3}`);
    line(`    zones: ${zonesOf()}`);
    line('');
  });

  ids.databases.forEach((id) => {
    line(`  ${id}:`);
    line('    kind: database');
    line(`    replicas: ${1 + Math.floor(rand() * 3)}`);
    line(`    zones: ${zonesOf()}`);
    const replication = pick(['async', 'sync', 'quorum', 'async']);
    line(`    replication: ${replication}`);
    line(`    failover: { mode: ${rand() < 0.8 ? 'automatic' : 'manual'}, standby: ${rand() < 0.85 ? 'hot' : 'cold'} }`);
    line('    health-check: { path: /ready, interval: 10s }');
    line(`    max-connections: ${100 + Math.floor(rand() * 400)}`);
    if (rand() < 0.1) line('    sharding: { key: tenant_id, shards: 4 }');
    line('    mtbf: 2000h');
    line('');
  });

  ids.pairs.forEach(([eu, us]) => {
    line(`  ${eu}: { kind: external, availability: 99.9% } # regional provider, either one suffices`);
    line(`  ${us}: { kind: external, availability: 99.9% }`);
  });
  return `${out.join('\n')}\n`;
}

/**
 * A Compose project of `n` services as its two files (`compose.yaml` and `compose.override.yaml`),
 * shaped like real ones: an anchored common block merged into every app service, gateways
 * publishing ports, apps naming their stores in `environment` URLs and `depends_on`, replicated
 * apps with volumes, healthchecks on about half, `x-archlint` on a few, the override raising some
 * replica counts. Deterministic: the same `n` always gives the same text.
 * @param {number} n services
 * @returns {{ base: string, override: string }}
 */
export function generateCompose(n, { seed = 11 } = {}) {
  const rand = random(seed);
  const stores = Math.max(2, Math.round(n * 0.3));
  const gateways = Math.max(1, Math.round(n * 0.04));
  const apps = n - stores - gateways;
  const storeName = (i) => (i % 3 === 0 ? `pg-${i}` : i % 3 === 1 ? `redis-${i}` : `rabbit-${i}`);
  const storeImage = (i) => (i % 3 === 0 ? 'postgres:16-alpine' : i % 3 === 1 ? 'redis:7-alpine' : 'rabbitmq:3-management');
  const lines = [
    '# generated for the benchmark: gateways, apps and their stores',
    'x-app: &app',
    '  restart: unless-stopped',
    '  logging:',
    '    driver: json-file',
    '    options: { max-size: 10m }',
    '',
    'services:',
  ];
  for (let g = 0; g < gateways; g++) {
    lines.push(`  gateway-${g}:`, '    image: nginx:1.27-alpine', '    ports:', `      - "${8000 + g}:80"`, '    depends_on:');
    for (let k = 0; k < 3; k++) lines.push(`      - app-${Math.floor(rand() * apps)}`);
  }
  for (let a = 0; a < apps; a++) {
    lines.push(`  app-${a}:`, '    <<: *app', `    image: registry.example.com/team/app-${a}:1.${a % 10}`);
    if (rand() < 0.5) lines.push('    deploy:', `      replicas: ${1 + Math.floor(rand() * 4)}`);
    lines.push('    environment:');
    const db = Math.floor(rand() * stores);
    lines.push(`      DATABASE_URL: postgres://app:\${DB_PASSWORD:-secret}@${storeName(db - (db % 3))}:5432/app${a}`);
    lines.push(`      CACHE_HOST: ${storeName(Math.min(stores - 1, db - (db % 3) + 1))}`);
    lines.push(`      LOG_LEVEL: info`);
    if (a > 0 && rand() < 0.4) lines.push(`      UPSTREAM_URL: http://app-${Math.floor(rand() * a)}:8080/v1`);
    if (rand() < 0.5)
      lines.push(
        '    healthcheck:',
        '      test: ["CMD-SHELL", "curl -fsS http://localhost:8080/healthz || exit 1"]',
        '      interval: 10s',
      );
    if (rand() < 0.2) lines.push('    volumes:', `      - data-${a}:/srv/data`);
    if (rand() < 0.1)
      lines.push('    x-archlint:', '      capacity: 200/s', '      retry: { attempts: 3, backoff: exponential, jitter: true }');
  }
  for (let s = 0; s < stores; s++) {
    lines.push(`  ${storeName(s)}:`, `    image: ${storeImage(s)}`, '    volumes:', `      - store-${s}:/var/lib/data`);
    if (s % 2 === 0) lines.push('    healthcheck:', '      test: ["CMD", "true"]', '      interval: 5s');
  }
  const override = ['# the production override: more replicas for some services', 'services:'];
  for (let a = 0; a < apps; a += 7) override.push(`  app-${a}:`, '    deploy:', '      replicas: 3');
  return { base: lines.join('\n') + '\n', override: override.join('\n') + '\n' };
}

/**
 * A `helm template`-style stream of `n` workloads: a Deployment (some StatefulSets for stores)
 * and a Service each, an HPA for about a third, an Ingress in front of every twentieth, apps
 * naming their stores and upstreams in `env`. Deterministic: the same `n` always gives the same text.
 * @param {number} n workloads
 * @returns {string}
 */
export function generateManifests(n, { seed = 13 } = {}) {
  const rand = random(seed);
  const stores = Math.max(2, Math.round(n * 0.2));
  const docs = [];
  const name = (i) => (i < stores ? `store-${i}` : `app-${i}`);
  for (let i = 0; i < n; i++) {
    const id = name(i);
    const store = i < stores;
    const replicas = store ? 1 + (i % 3) : 1 + Math.floor(rand() * 4);
    const env = store
      ? []
      : [
          `            - name: DATABASE_URL`,
          `              value: postgres://app:secret@${name(Math.floor(rand() * stores))}:5432/app`,
          `            - name: LOG_LEVEL`,
          `              value: info`,
          ...(i > stores && rand() < 0.4
            ? [
                `            - name: UPSTREAM_URL`,
                `              value: http://${name(stores + Math.floor(rand() * (i - stores)))}:8080/v1`,
              ]
            : []),
        ];
    docs.push(
      [
        `# Source: platform/templates/${id}.yaml`,
        'apiVersion: apps/v1',
        `kind: ${store ? 'StatefulSet' : 'Deployment'}`,
        'metadata:',
        `  name: ${id}`,
        '  namespace: platform',
        'spec:',
        `  replicas: ${replicas}`,
        '  selector:',
        '    matchLabels:',
        `      app: ${id}`,
        '  template:',
        '    metadata:',
        '      labels:',
        `        app: ${id}`,
        '    spec:',
        '      containers:',
        `        - name: ${id}`,
        `          image: ${store ? 'postgres:16' : `registry.example.com/platform/${id}:1.${i % 10}`}`,
        ...(env.length > 0 ? ['          env:', ...env] : []),
        ...(rand() < 0.6 ? ['          readinessProbe:', '            httpGet: { path: /ready, port: 8080 }'] : []),
        '          livenessProbe:',
        '            httpGet: { path: /live, port: 8080 }',
      ].join('\n'),
      [
        `# Source: platform/templates/${id}-service.yaml`,
        'apiVersion: v1',
        'kind: Service',
        'metadata:',
        `  name: ${id}`,
        '  namespace: platform',
        'spec:',
        '  selector:',
        `    app: ${id}`,
        '  ports:',
        `    - port: ${store ? 5432 : 8080}`,
      ].join('\n'),
    );
    if (!store && rand() < 0.33)
      docs.push(
        [
          `# Source: platform/templates/${id}-hpa.yaml`,
          'apiVersion: autoscaling/v2',
          'kind: HorizontalPodAutoscaler',
          'metadata:',
          `  name: ${id}`,
          '  namespace: platform',
          'spec:',
          '  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: ' + id + ' }',
          `  minReplicas: ${1 + (i % 2)}`,
          '  maxReplicas: 10',
        ].join('\n'),
      );
    if (!store && i % 20 === 0)
      docs.push(
        [
          `# Source: platform/templates/${id}-ingress.yaml`,
          'apiVersion: networking.k8s.io/v1',
          'kind: Ingress',
          'metadata:',
          `  name: ${id}`,
          '  namespace: platform',
          'spec:',
          '  tls:',
          `    - hosts: [${id}.example.com]`,
          '  rules:',
          `    - host: ${id}.example.com`,
          '      http:',
          '        paths:',
          '          - path: /',
          '            pathType: Prefix',
          '            backend:',
          `              service: { name: ${id}, port: { number: 8080 } }`,
        ].join('\n'),
      );
  }
  return `---\n${docs.join('\n---\n')}\n`;
}
