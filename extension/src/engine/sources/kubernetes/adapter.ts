/**
 * Kubernetes manifests → the model (docs/SOURCES.md, "Kubernetes → the model"). Every
 * Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and Pod no
 * controller in the set owns is a component; `archlint.dev/<key>` annotations, read with the
 * format's syntax, win key by key over what is inferred:
 *
 * - kind: the serving container's image (../values.ts's table); Job and CronJob are workers;
 * - replicas: `spec.replicas` (default 1), `per-node` for a DaemonSet; an HPA gives `autoscale`;
 * - Services: every Service balances over the workloads it selects. A ClusterIP, NodePort or
 *   headless Service is no component (kube-proxy runs on every node and never fails alone): a
 *   dependency on it is a dependency on its workloads (any-of when several), and a pool behind
 *   it is `balanced-by: kube-proxy` (`ip-hash` with `sessionAffinity: ClientIP`). A NodePort
 *   makes its workloads public. A LoadBalancer Service, an Ingress and a Gateway are public
 *   `load-balancer` components of their own, routing to the workloads behind their backends;
 * - health-check: a `readinessProbe`; a `livenessProbe` alone is none, and a note says why;
 * - state, lifecycle, zones, deploy, tls, rate-limit as the table says; depends-on from the
 *   hosts named in `env`, `envFrom` ConfigMaps, `command` and `args`.
 *
 * Every value keeps its file and range; {@link KubernetesModel.origins} says where each came from.
 */
import { Document, parse } from 'yaml';
import { buildComponent } from '../../model/build';
import type { Architecture, Component, Dependency, KeyRanges, Reference, Zone } from '../../model/model';
import { parseDuration } from '../../model/units';
import { validateArchitecture } from '../../model/validate';
import type { YamlPath } from '../../parse/parse';
import { BUILTIN_IDS, type Finding, type Offsets } from '../../types';
import { hostsInCommand, hostsInValue, kindOfImage } from '../values';
import { isObject, type Json } from '../../model/build';
import { get, rangeOf, type KubeObject, type Manifests } from './manifests';

/** The annotation prefix for what a manifest cannot say. */
export const ANNOTATION_PREFIX = 'archlint.dev/';

/** Where a component's values are written, for ./edits.ts. */
export interface ObjectPlaces {
  object: KubeObject;
  /** The pod template's spec, relative to the object (workloads only). */
  podSpec?: YamlPath;
  /** The serving container (the first with ports, else the first), relative to the object. */
  container?: YamlPath;
  /** The HorizontalPodAutoscaler that sets the count. */
  hpa?: KubeObject;
  /** Whether `spec.replicas` can be written (Deployment, StatefulSet, ReplicaSet, ReplicationController). */
  scalable: boolean;
  /**
   * Where a topology spread or anti-affinity on the zone label is written: the instances spread
   * over the architecture's zones, known once the configuration's are added ({@link settleZones}).
   */
  spread?: KeyRanges;
  /** The `archlint.dev/<key>` annotations, by key. */
  annotations: Map<string, KeyRanges>;
  /** The Service whose `sessionAffinity: ClientIP` makes the platform balancer sticky. */
  sticky?: KubeObject;
}

export interface KubernetesModel {
  model: Architecture;
  origins: Map<string, Map<string, string>>;
  places: Map<string, ObjectPlaces>;
  findings: Finding[];
}

const CONTROLLERS: ReadonlySet<string> = new Set([
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController',
]);
const WORKLOADS: ReadonlySet<string> = new Set([...CONTROLLERS, 'Job', 'CronJob', 'Pod']);
const SCALABLE: ReadonlySet<string> = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController']);
/** Kinds whose pods' ReadWriteOnce claims are state in one instance (a StatefulSet gives each pod its own). */
const SHARED_POD_KINDS: ReadonlySet<string> = new Set(['Deployment', 'ReplicaSet', 'ReplicationController']);
const ZONE_KEYS: ReadonlySet<string> = new Set(['topology.kubernetes.io/zone', 'failure-domain.beta.kubernetes.io/zone']);
/** Annotations of cloud load balancers that give them a certificate (they terminate TLS). */
const CERT_ANNOTATION =
  /^(?:service\.beta\.kubernetes\.io\/(?:aws-load-balancer-ssl-cert|azure-load-balancer-.*cert.*)|service\.kubernetes\.io\/.*certificate.*|networking\.gke\.io\/managed-certificates|cloud\.google\.com\/.*cert.*)$/;
/** Ingress-controller annotations that pin a user to one pod by a cookie. */
export const AFFINITY_ANNOTATIONS = ['nginx.ingress.kubernetes.io/affinity', 'traefik.ingress.kubernetes.io/affinity'];
/** Format keys whose annotation value may be a comma list. */
const LIST_KEYS: ReadonlySet<string> = new Set(['zones', 'routes-to']);
/** The note on a workload with a livenessProbe and no readinessProbe (SOURCES.md, "Source words"). */
export const LIVENESS_NOTE =
  'it has a livenessProbe, which restarts a pod but never takes it out of a Service’s endpoints: a pod without a readinessProbe gets traffic from the moment it starts until its process dies';
const TLS_NOTE = 'state it with spec.tls, a certificate annotation, or the annotation archlint.dev/tls';
const RATE_NOTE =
  'state it with nginx.ingress.kubernetes.io/limit-rps or the annotation archlint.dev/rate-limit: "{anonymous: 10/s}"';

interface Workload {
  object: KubeObject;
  id: string;
  template: YamlPath;
  labels: Record<string, string>;
  component: Component;
  place: ObjectPlaces;
  /** Selected by some Service, Ingress or Gateway: it takes requests. */
  served: boolean;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const strMap = (v: unknown): Record<string, string> => {
  if (!isObject(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string' || typeof x === 'number') out[k] = String(x);
  return out;
};
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);

/** Builds the model of a set of manifests. Never throws on what they hold. */
export function kubernetesModel(manifests: Manifests): KubernetesModel {
  const findings: Finding[] = [];
  const origins = new Map<string, Map<string, string>>();
  const places = new Map<string, ObjectPlaces>();
  const originOf = (id: string) => {
    let m = origins.get(id);
    if (!m) origins.set(id, (m = new Map()));
    return m;
  };
  const where = (o: KubeObject, path: YamlPath, what: string) =>
    `from ${baseName(o.file.file)}:${o.file.lines.position(rangeOf(o, path)[0]).line + 1} ${o.kind} ${o.name}${what.startsWith(':') ? '' : ' '}${what}`.trimEnd();
  const objects = manifests.objects;
  const byKind = (kind: string) => objects.filter((o) => o.kind === kind);

  // The architecture's zones: `archlint.dev/zones` on a Namespace.
  const zones = new Map<string, Zone>();
  let zonesRange: Offsets | undefined;
  for (const ns of byKind('Namespace')) {
    const text = str(get(ns.value, ['metadata', 'annotations', `${ANNOTATION_PREFIX}zones`]));
    if (text === undefined) continue;
    const range = rangeOf(ns, ['metadata', 'annotations', `${ANNOTATION_PREFIX}zones`]);
    zonesRange ??= range;
    for (const id of splitList(text)) if (!zones.has(id)) zones.set(id, { id, range });
    originOf('').set('zones', where(ns, ['metadata', 'annotations'], `annotation ${ANNOTATION_PREFIX}zones`));
  }

  // Workloads: every controller and pod no controller in the set owns or adopts.
  const key = (kind: string, ns: string, name: string) => `${kind}\0${ns}\0${name}`;
  const present = new Set(objects.map((o) => key(o.kind, o.namespace, o.name)));
  const adopters = objects.filter((o) => o.kind === 'ReplicaSet' || o.kind === 'ReplicationController');
  const owned = (o: KubeObject): boolean => {
    const refs = arr(get(o.value, ['metadata', 'ownerReferences']));
    if (refs.some((r) => isObject(r) && present.has(key(String(r.kind), o.namespace, String(r.name))))) return true;
    if (o.kind !== 'Pod') return false;
    const labels = strMap(get(o.value, ['metadata', 'labels']));
    return adopters.some((a) => {
      if (a.namespace !== o.namespace) return false;
      const sel = get(a.value, ['spec', 'selector']);
      const selector = strMap(isObject(sel) && isObject(sel.matchLabels) ? sel.matchLabels : sel);
      return matches(selector, labels);
    });
  };
  const workloadObjects = objects.filter((o) => WORKLOADS.has(o.kind) && !owned(o));
  const nameSpaces = new Map<string, Set<string>>();
  for (const o of objects)
    if (WORKLOADS.has(o.kind) || isBalancerObject(o)) {
      const set = nameSpaces.get(o.name) ?? new Set();
      set.add(o.namespace);
      nameSpaces.set(o.name, set);
    }
  const taken = new Set<string>();
  const idOf = (o: KubeObject, suffix: string): string => {
    const base = (nameSpaces.get(o.name)?.size ?? 0) > 1 ? `${o.namespace}/${o.name}` : o.name;
    let id = taken.has(base) ? `${base}${suffix}` : base;
    for (let n = 2; taken.has(id); n++) id = `${base}${suffix}-${n}`;
    taken.add(id);
    return id;
  };

  const workloads: Workload[] = workloadObjects.map((o) => {
    const id = idOf(o, `-${o.kind.toLowerCase()}`);
    const template: YamlPath =
      o.kind === 'Pod' ? [] : o.kind === 'CronJob' ? ['spec', 'jobTemplate', 'spec', 'template'] : ['spec', 'template'];
    const labels = strMap(get(o.value, [...template, 'metadata', 'labels']));
    const { component, place } = annotatedComponent(o, id, findings, originOf(id), where);
    place.scalable = SCALABLE.has(o.kind);
    place.podSpec = [...template, 'spec'];
    return { object: o, id, template, labels, component, place, served: false };
  });

  // What each workload reads from its pods (the count first: whether a Service pools it depends on it).
  const hpas = new Map<string, KubeObject>();
  for (const h of byKind('HorizontalPodAutoscaler')) {
    const target = `${h.namespace}\0${String(get(h.value, ['spec', 'scaleTargetRef', 'kind']))}\0${String(get(h.value, ['spec', 'scaleTargetRef', 'name']))}`;
    if (!hpas.has(target)) hpas.set(target, h);
  }
  const claims = new Map(byKind('PersistentVolumeClaim').map((o) => [`${o.namespace}/${o.name}`, o]));
  for (const w of workloads) readPods(w, { hpas, claims, where, origin: originOf(w.id) });

  // Services and what they select.
  const services = byKind('Service');
  const selected = new Map<KubeObject, Workload[]>();
  // Workloads by each label they carry, in their namespace: a selector looks up its first label.
  const byLabel = new Map<string, Workload[]>();
  for (const w of workloads)
    for (const [k, v] of Object.entries(w.labels)) {
      const at = `${w.object.namespace}\0${k}\0${v}`;
      const list = byLabel.get(at);
      if (list) list.push(w);
      else byLabel.set(at, [w]);
    }
  for (const svc of services) {
    const selector = strMap(get(svc.value, ['spec', 'selector']));
    const first = Object.entries(selector)[0];
    if (!first) continue; // endpoints kept by hand: nothing in the set to match
    const candidates = byLabel.get(`${svc.namespace}\0${first[0]}\0${first[1]}`) ?? [];
    const list = candidates.filter((w) => matches(selector, w.labels));
    selected.set(svc, list);
    if (list.length === 0)
      findings.push({
        ruleId: BUILTIN_IDS.source,
        messageId: 'selectorMatchesNothing',
        message: `Service ${svc.name} selects no workload in the set: no pod template in namespace ${svc.namespace} has the labels ${Object.entries(
          selector,
        )
          .map(([k, v]) => `${k}=${v}`)
          .join(', ')}`,
        severity: 'warning',
        range: rangeOf(svc, ['spec', 'selector']),
      });
  }
  const serviceByName = new Map<string, KubeObject>();
  for (const svc of services) serviceByName.set(`${svc.namespace}/${svc.name.toLowerCase()}`, svc);
  /** The Service a DNS name names (`name`, `name.ns`, `name.ns.svc[.cluster.local]`), from namespace `ns`. */
  const serviceOf = (host: string, ns: string): KubeObject | undefined => {
    const parts = host
      .toLowerCase()
      .replace(/\.svc(?:\.cluster\.local)?\.?$/, '')
      .split('.');
    if (parts.length > 2) return undefined;
    return serviceByName.get(`${parts[1] ?? ns}/${parts[0]}`);
  };

  // Pools behind Services.
  for (const [svc, list] of selected) {
    const type = str(get(svc.value, ['spec', 'type'])) ?? 'ClusterIP';
    const sticky = get(svc.value, ['spec', 'sessionAffinity']) === 'ClientIP';
    for (const w of list) w.served = true;
    if (type === 'NodePort') {
      for (const w of list) {
        const c = w.component;
        if (!('public' in c.keys)) {
          c.public = true;
          c.keys.public = { key: rangeOf(svc, ['spec', 'type'], 'key'), value: rangeOf(svc, ['spec', 'type']) };
          originOf(w.id).set('public', where(svc, ['spec', 'type'], 'type: NodePort: every node forwards its port here'));
        }
        c.notes = { ...c.notes, tls: TLS_NOTE, 'rate-limit': RATE_NOTE };
        if (!('entry' in c.keys)) {
          c.entry = true;
          c.keys.entry = c.keys.public!;
          originOf(w.id).set('entry', where(svc, ['spec', 'type'], 'type: NodePort: requests arrive here'));
        }
      }
    }
    const pooled = list.length > 1;
    if (type === 'LoadBalancer' && !pooled) continue; // a balancer of its own that routes to it, below
    for (const w of list) {
      const c = w.component;
      if ('balanced-by' in c.keys || 'balancing' in c.keys) continue;
      if (!pooled && !(c.replicas > 1 || c.replicasSource === 'per-node' || (c.autoscale?.max ?? 0) > 1)) continue;
      c.balancedBy = 'kube-proxy';
      const at = sticky ? ['spec', 'sessionAffinity'] : ['spec', 'selector'];
      c.keys['balanced-by'] = { key: rangeOf(svc, at, 'key'), value: rangeOf(svc, at) };
      if (sticky) {
        c.platformBalancing = 'ip-hash';
        w.place.sticky = svc;
        originOf(w.id).set('balancing', where(svc, at, 'sessionAffinity: ClientIP'));
      }
      originOf(w.id).set(
        'balanced-by',
        where(
          svc,
          at,
          sticky
            ? 'sessionAffinity: ClientIP: kube-proxy pins each client to one pod'
            : `selects it${pooled ? ` with ${list.length - 1} more workload(s), one pool` : ''}: kube-proxy spreads connections over its pods`,
        ),
      );
    }
  }

  // Balancers: LoadBalancer Services, Ingresses, Gateways.
  const balancers: Component[] = [];
  const workloadsBehind = (svcName: string | undefined, ns: string): Workload[] => {
    const svc = svcName ? serviceByName.get(`${ns}/${svcName.toLowerCase()}`) : undefined;
    return (svc && selected.get(svc)) ?? [];
  };
  const makeBalancer = (o: KubeObject, suffix: string, backends: { workloads: Workload[]; range: Offsets }[]): Component => {
    const id = idOf(o, suffix);
    const { component: c, place } = annotatedComponent(o, id, findings, originOf(id), where);
    places.set(id, place);
    const origin = originOf(id);
    if (!('kind' in c.keys)) c.kind = 'load-balancer';
    if (!('public' in c.keys)) {
      c.public = true;
      c.keys.public = { key: rangeOf(o, ['kind']), value: rangeOf(o, ['kind']) };
      origin.set('public', where(o, ['kind'], ': requests arrive from outside the cluster'));
    }
    if (!('entry' in c.keys)) {
      c.entry = true;
      c.keys.entry = c.keys.public!;
      origin.set('entry', where(o, ['kind'], ': an entry point'));
    }
    if (!('replicas' in c.keys) && !('autoscale' in c.keys)) {
      c.replicas = 2;
      c.replicasSource = 'default';
      origin.set(
        'replicas',
        `inferred: ${/^[AEIOU]/.test(o.kind) ? 'an' : 'a'} ${o.kind} is managed and redundant (2 unless annotated)`,
      );
    }
    for (const b of backends) for (const w of b.workloads) w.served = true;
    if (!('routes-to' in c.keys)) {
      // A backend Service over one workload is a route; over several, one pool that any of them
      // serves (an any-of, as a dependency on that Service is), whose balancing is kube-proxy's.
      const seen = new Set<string>();
      for (const b of backends) {
        const ids = b.workloads.map((w) => w.id).filter((id) => !seen.has(id));
        ids.forEach((id) => seen.add(id));
        if (ids.length === 1) c.routesTo.push({ id: ids[0]!, range: b.range });
        else if (ids.length > 1)
          c.dependsOn.push({
            type: 'any-of',
            members: ids.map((id) => ({ id, range: b.range })),
            optional: false,
            range: b.range,
          });
      }
      if (c.routesTo.length > 0) origin.set('routes-to', where(o, [], 'backends'));
      if (c.dependsOn.length > 0)
        origin.set('depends-on', where(o, [], 'backends: a Service over several workloads, any of which serves'));
    }
    c.notes = { ...c.notes, tls: TLS_NOTE, 'rate-limit': RATE_NOTE };
    balancers.push(c);
    return c;
  };

  for (const [svc, list] of selected) {
    if (get(svc.value, ['spec', 'type']) !== 'LoadBalancer') continue;
    const c = makeBalancer(svc, '-service', [{ workloads: list, range: rangeOf(svc, ['spec', 'selector']) }]);
    const annotations = strMap(get(svc.value, ['metadata', 'annotations']));
    if (!('balancing' in c.keys) && get(svc.value, ['spec', 'sessionAffinity']) === 'ClientIP') {
      c.balancing = 'ip-hash';
      c.keys.balancing = {
        key: rangeOf(svc, ['spec', 'sessionAffinity'], 'key'),
        value: rangeOf(svc, ['spec', 'sessionAffinity']),
      };
      originOf(c.id).set('balancing', where(svc, ['spec', 'sessionAffinity'], 'sessionAffinity: ClientIP'));
    }
    if (!('tls' in c.keys)) {
      const cert = Object.keys(annotations).find((k) => CERT_ANNOTATION.test(k));
      const ports = arr(get(svc.value, ['spec', 'ports'])).map((p) => (isObject(p) ? Number(p.port) : NaN));
      const [tls, at, why]: [Component['tls'], YamlPath, string] = cert
        ? ['terminate', ['metadata', 'annotations', cert], `annotation ${cert}: the cloud balancer terminates TLS`]
        : ports.length > 0 && ports.every((p) => p === 443)
          ? ['passthrough', ['spec', 'ports'], 'exposes only port 443: TLS passes through']
          : ['none', ['spec', 'ports'], 'no certificate: plain TCP'];
      c.tls = tls;
      c.keys.tls = { key: rangeOf(svc, at, 'key'), value: rangeOf(svc, at) };
      originOf(c.id).set('tls', where(svc, at, why));
    }
  }

  for (const ing of byKind('Ingress')) {
    const backends: { workloads: Workload[]; range: Offsets }[] = [];
    const backend = (path: YamlPath) => {
      const b = get(ing.value, path);
      if (!isObject(b)) return;
      const v1 = isObject(b.service) ? str(b.service.name) : undefined;
      const name = v1 ?? str(b.serviceName);
      const at: YamlPath = v1 !== undefined ? [...path, 'service', 'name'] : [...path, 'serviceName'];
      backends.push({ workloads: workloadsBehind(name, ing.namespace), range: rangeOf(ing, at) });
    };
    backend(['spec', 'defaultBackend']);
    backend(['spec', 'backend']);
    const hosts: string[] = [];
    arr(get(ing.value, ['spec', 'rules'])).forEach((rule, i) => {
      if (isObject(rule) && typeof rule.host === 'string') hosts.push(rule.host);
      arr(get(rule, ['http', 'paths'])).forEach((_, j) => backend(['spec', 'rules', i, 'http', 'paths', j, 'backend']));
    });
    const c = makeBalancer(ing, '-ingress', backends);
    const annotations = strMap(get(ing.value, ['metadata', 'annotations']));
    const affinity = AFFINITY_ANNOTATIONS.find((k) => annotations[k] === 'cookie');
    if (!('balancing' in c.keys) && affinity) {
      c.balancing = 'cookie';
      const at = ['metadata', 'annotations', affinity];
      c.keys.balancing = { key: rangeOf(ing, at, 'key'), value: rangeOf(ing, at) };
      originOf(c.id).set('balancing', where(ing, at, `annotation ${affinity}: cookie`));
    }
    if (!('tls' in c.keys)) {
      const tls = arr(get(ing.value, ['spec', 'tls']));
      const covered = new Set(tls.flatMap((t) => arr(get(t, ['hosts'])).filter((h): h is string => typeof h === 'string')));
      const all = tls.length > 0 && hosts.every((h) => covered.has(h) || [...covered].some((c) => wildcard(c, h)));
      c.tls = all ? 'terminate' : 'none';
      const at: YamlPath = tls.length > 0 ? ['spec', 'tls'] : ['spec'];
      c.keys.tls = { key: rangeOf(ing, at, 'key'), value: rangeOf(ing, at) };
      originOf(c.id).set('tls', where(ing, at, all ? 'spec.tls covers its hosts' : 'no spec.tls covering its hosts'));
    }
    if (!('rate-limit' in c.keys)) {
      const rps = Number(annotations['nginx.ingress.kubernetes.io/limit-rps']);
      const rpm = Number(annotations['nginx.ingress.kubernetes.io/limit-rpm']);
      const limit = rps > 0 ? rps : rpm > 0 ? rpm / 60 : undefined;
      if (limit !== undefined) {
        c.rateLimit = { anonymous: limit };
        const k = rps > 0 ? 'nginx.ingress.kubernetes.io/limit-rps' : 'nginx.ingress.kubernetes.io/limit-rpm';
        c.keys['rate-limit'] = {
          key: rangeOf(ing, ['metadata', 'annotations', k], 'key'),
          value: rangeOf(ing, ['metadata', 'annotations', k]),
        };
        originOf(c.id).set('rate-limit', where(ing, ['metadata', 'annotations', k], `annotation ${k}`));
      }
    }
  }

  const routes = byKind('HTTPRoute');
  for (const gw of byKind('Gateway')) {
    const backends: { workloads: Workload[]; range: Offsets }[] = [];
    for (const route of routes) {
      const parents = arr(get(route.value, ['spec', 'parentRefs']));
      const attached = parents.some(
        (p) => isObject(p) && p.name === gw.name && (str(p.namespace) ?? route.namespace) === gw.namespace,
      );
      if (!attached) continue;
      arr(get(route.value, ['spec', 'rules'])).forEach((rule, i) =>
        arr(get(rule, ['backendRefs'])).forEach((ref, j) => {
          if (!isObject(ref) || (ref.kind !== undefined && ref.kind !== 'Service')) return;
          backends.push({
            workloads: workloadsBehind(str(ref.name), str(ref.namespace) ?? route.namespace),
            range: rangeOf(route, ['spec', 'rules', i, 'backendRefs', j, 'name']),
          });
        }),
      );
    }
    const c = makeBalancer(gw, '-gateway', backends);
    if (!('tls' in c.keys)) {
      const listeners = arr(get(gw.value, ['spec', 'listeners']));
      const i = listeners.findIndex((l) => isObject(l) && l.tls !== undefined);
      c.tls = i >= 0 ? 'terminate' : 'none';
      const at: YamlPath = i >= 0 ? ['spec', 'listeners', i, 'tls'] : ['spec', 'listeners'];
      c.keys.tls = { key: rangeOf(gw, at, 'key'), value: rangeOf(gw, at) };
      originOf(c.id).set('tls', where(gw, at, i >= 0 ? 'a listener with tls' : 'no listener with tls'));
    }
  }

  const configMaps = new Map(byKind('ConfigMap').map((o) => [`${o.namespace}/${o.name}`, o]));
  // depends-on, once every workload is known.
  const idsBehind = (svc: KubeObject): string[] => (selected.get(svc) ?? []).map((x) => x.id);
  for (const w of workloads) {
    const annotated = w.place.annotations.get('depends-on');
    const text = str(get(w.object.value, ['metadata', 'annotations', `${ANNOTATION_PREFIX}depends-on`]));
    if (annotated && text !== undefined) {
      w.component.dependsOn = annotatedDependencies(text, annotated.value, w, (name) => {
        if (workloads.some((x) => x.id === name) || balancers.some((b) => b.id === name)) return [name];
        const svc = serviceOf(name, w.object.namespace);
        return svc ? idsBehind(svc) : [name];
      });
      originOf(w.id).set('depends-on', where(w.object, ['metadata', 'annotations'], `annotation ${ANNOTATION_PREFIX}depends-on`));
    } else {
      w.component.dependsOn = inferredDependencies(w, serviceOf, idsBehind, configMaps, originOf(w.id));
    }
  }
  for (const b of balancers) {
    const place = places.get(b.id)!;
    const text = str(get(place.object.value, ['metadata', 'annotations', `${ANNOTATION_PREFIX}depends-on`]));
    const annotated = place.annotations.get('depends-on');
    if (annotated && text !== undefined)
      b.dependsOn = annotatedDependencies(text, annotated.value, undefined, (name) => {
        const svc = serviceOf(name, place.object.namespace);
        return svc && !workloads.some((x) => x.id === name) ? idsBehind(svc) : [name];
      });
  }

  // Entry points: where requests arrive from outside; a workload nothing serves is a worker.
  const components = new Map<string, Component>();
  for (const w of workloads) {
    components.set(w.id, w.component);
    places.set(w.id, w.place);
  }
  for (const b of balancers) components.set(b.id, b);
  const anyPublic = [...components.values()].some((c) => c.public && c.entry !== false);
  for (const w of workloads) {
    const c = w.component;
    if (!w.served && !('entry' in c.keys)) c.entry = false;
    if (!w.served && !('kind' in c.keys) && c.kind === 'service') {
      c.kind = 'worker';
      originOf(w.id).set('kind', 'inferred: no Service, Ingress or Gateway sends it requests');
    }
  }
  for (const c of components.values()) if (c.entry === undefined && anyPublic) c.entry = c.public;

  const first = objects[0];
  const range: Offsets = first ? [0, first.file.text.length, first.file.file] : [0, 0];
  const model: Architecture = {
    zones,
    zonesRange,
    defaults: {},
    rules: new Map(),
    components,
    componentsKeyRange: first ? rangeOf(first, ['kind']) : undefined,
    range,
  };
  return { model, origins, places, findings };
}

function isBalancerObject(o: KubeObject): boolean {
  return (
    (o.kind === 'Service' && get(o.value, ['spec', 'type']) === 'LoadBalancer') || o.kind === 'Ingress' || o.kind === 'Gateway'
  );
}

function wildcard(pattern: string, host: string): boolean {
  return pattern.startsWith('*.') && host.endsWith(pattern.slice(1)) && !host.slice(0, -pattern.length + 1).includes('.');
}

function baseName(path: string): string {
  return path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}

function splitList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** An annotation value read with the format's syntax: a number, a flag, a YAML flow collection, else the text; a comma list for list keys. */
function annotationValue(key: string, text: string): unknown {
  const trimmed = text.trim();
  if (LIST_KEYS.has(key) && !trimmed.startsWith('[')) return splitList(trimmed);
  if (/^-?\d+(?:\.\d+)?$/.test(trimmed)) return Number(trimmed);
  if (trimmed === 'true' || trimmed === 'false') return trimmed === 'true';
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return parse(trimmed, { maxAliasCount: 0 });
    } catch {
      return trimmed;
    }
  }
  return trimmed;
}

/**
 * A component of the object's `archlint.dev/<key>` annotations, each checked as a key of a
 * component of the format (a bad value is an error at the value and is left out).
 */
function annotatedComponent(
  o: KubeObject,
  id: string,
  findings: Finding[],
  origin: Map<string, string>,
  where: (o: KubeObject, path: YamlPath, what: string) => string,
): { component: Component; place: ObjectPlaces } {
  const annotations = get(o.value, ['metadata', 'annotations']);
  const value: Json = {};
  const ranges = new Map<string, KeyRanges>();
  if (isObject(annotations)) {
    for (const [k, raw] of Object.entries(annotations)) {
      if (!k.startsWith(ANNOTATION_PREFIX)) continue;
      const key = k.slice(ANNOTATION_PREFIX.length);
      const at: YamlPath = ['metadata', 'annotations', k];
      const r = { key: rangeOf(o, at, 'key'), value: rangeOf(o, at) };
      const text = typeof raw === 'string' ? raw : String(raw);
      if (key === 'depends-on') {
        ranges.set(key, r);
        origin.set(key, where(o, at, `annotation ${k}`));
        continue;
      }
      const v = annotationValue(key, text);
      const problems = validateArchitecture(
        o.doc,
        { archlint: 1, components: { [id]: { kind: 'service', [key]: v } } },
        (_, part) => (part === 'key' ? r.key : r.value),
      ).map((f) => ({ ...f, message: `annotation ${k}: ${f.message}` }));
      if (problems.length > 0) {
        findings.push(...problems);
        continue;
      }
      value[key] = v;
      ranges.set(key, r);
      origin.set(key, where(o, at, `annotation ${k}`));
    }
  }
  const c = buildComponent(new Document({}), id, { kind: 'service', ...value }, ['\0']);
  const objectRange = rangeOf(o, []);
  const idRange = rangeOf(o, ['metadata', 'name']);
  const moved = (key: string, fallback: Offsets): Offsets => ranges.get(key)?.value ?? fallback;
  const ref =
    (key: string) =>
    (r: Reference): Reference => ({ id: r.id, range: moved(key, idRange) });
  const component: Component = {
    ...c,
    id,
    idRange,
    range: objectRange,
    keys: Object.fromEntries(ranges),
    routesTo: c.routesTo.map(ref('routes-to')),
    zones: c.zones.map(ref('zones')),
    sessionStore: c.sessionStore && ref('session-store')(c.sessionStore),
    owner: c.owner && ref('owner')(c.owner),
    dependsOn: [],
    instances: c.instances.map((i) => ({ ...i, range: moved('instances', idRange) })),
  };
  return { component, place: { object: o, scalable: false, annotations: ranges } };
}

/** `orders, payments?, eu-pay|us-pay`: a name, an optional one, an any-of group; each name resolved by `resolve`. */
function annotatedDependencies(
  text: string,
  range: Offsets,
  self: Workload | undefined,
  resolve: (name: string) => string[],
): Dependency[] {
  const out: Dependency[] = [];
  for (const part of text.split(',')) {
    let item = part.trim();
    if (!item) continue;
    const optional = item.endsWith('?');
    if (optional) item = item.slice(0, -1).trim();
    const ids = [...new Set(item.split('|').flatMap((n) => (n.trim() ? resolve(n.trim()) : [])))].filter((id) => id !== self?.id);
    if (ids.length === 0) continue;
    out.push(
      ids.length === 1
        ? { type: 'component', target: { id: ids[0]!, range }, optional, range }
        : { type: 'any-of', members: ids.map((id) => ({ id, range })), optional, range },
    );
  }
  return out;
}

/** The dependencies the containers' `env`, `envFrom` ConfigMaps, `command` and `args` name. */
function inferredDependencies(
  w: Workload,
  serviceOf: (host: string, ns: string) => KubeObject | undefined,
  idsBehind: (svc: KubeObject) => string[],
  configMaps: Map<string, KubeObject>,
  origin: Map<string, string>,
): Dependency[] {
  const o = w.object;
  const out = new Map<string, Dependency>();
  const isHost = (h: string) => serviceOf(h, o.namespace) !== undefined;
  const add = (host: string, range: Offsets, why: string) => {
    const svc = serviceOf(host, o.namespace)!;
    const ids = idsBehind(svc).filter((id) => id !== w.id);
    if (ids.length === 0) return;
    const k = ids.join('|');
    if (out.has(k)) return;
    out.set(
      k,
      ids.length === 1
        ? { type: 'component', target: { id: ids[0]!, range }, optional: false, range }
        : { type: 'any-of', members: ids.map((id) => ({ id, range })), optional: false, range },
    );
    origin.set(`depends-on ${k}`, `inferred: ${why} names Service ${svc.name}`);
  };
  const containersPath: YamlPath = [...w.place.podSpec!];
  for (const list of ['initContainers', 'containers']) {
    arr(get(o.value, [...containersPath, list])).forEach((container, ci) => {
      const at: YamlPath = [...containersPath, list, ci];
      arr(get(container, ['env'])).forEach((e, ei) => {
        if (!isObject(e) || typeof e.name !== 'string') return;
        // A value written here, or one key of a ConfigMap in the set (`valueFrom.configMapKeyRef`).
        const ref = get(e, ['valueFrom', 'configMapKeyRef']);
        const fromMap =
          isObject(ref) && typeof ref.name === 'string' && typeof ref.key === 'string'
            ? get(configMaps.get(`${o.namespace}/${ref.name}`)?.value, ['data', ref.key])
            : undefined;
        const written = e.value ?? fromMap;
        if (typeof written !== 'string' && typeof written !== 'number') return;
        const value = String(written);
        for (const m of hostsInValue(value, { key: e.name, isHost }))
          add(m.name, rangeOf(o, [...at, 'env', ei]), `env ${e.name}`);
      });
      arr(get(container, ['envFrom'])).forEach((e, ei) => {
        const name = str(get(e, ['configMapRef', 'name']));
        const cm = name && configMaps.get(`${o.namespace}/${name}`);
        if (!cm) return;
        for (const [k, v] of Object.entries(strMap(get(cm.value, ['data']))))
          for (const m of hostsInValue(v, { key: k, isHost }))
            add(m.name, rangeOf(o, [...at, 'envFrom', ei]), `ConfigMap ${name}'s ${k}`);
      });
      for (const key of ['command', 'args']) {
        const words = arr(get(container, [key])).map((x) => (typeof x === 'string' ? x : String(x)));
        for (const { word, mention } of hostsInCommand(words, isHost))
          add(mention.name, rangeOf(o, [...at, key, word]), `${key}`);
      }
    });
  }
  return [...out.values()];
}

/** Replicas, autoscale, health check, state, lifecycle, zones, deploy and kind from the object and its pods. */
function readPods(
  w: Workload,
  ctx: {
    /** Autoscalers by the workload they scale (`namespace\0kind\0name`). */
    hpas: Map<string, KubeObject>;
    claims: Map<string, KubeObject>;
    where: (o: KubeObject, path: YamlPath, what: string) => string;
    origin: Map<string, string>;
  },
): void {
  const { object: o, component: c, place } = w;
  const { where, origin } = ctx;
  const stated = (k: string) => k in c.keys;
  const setKey = (k: string, obj: KubeObject, path: YamlPath) => {
    c.keys[k] = { key: rangeOf(obj, path, 'key'), value: rangeOf(obj, path) };
  };
  const spec = place.podSpec!;
  const containers = arr(get(o.value, [...spec, 'containers']));
  const serving = Math.max(
    0,
    containers.findIndex((x) => arr(get(x, ['ports'])).length > 0),
  );
  if (containers.length > 0) place.container = [...spec, 'containers', serving];
  const container = containers[serving];

  // kind
  if (!stated('kind')) {
    const image = str(get(container, ['image']));
    const found = image ? kindOfImage(image) : undefined;
    if (found) {
      c.kind = found.kind;
      setKey('kind', o, [...place.container!, 'image']);
      origin.set('kind', `${where(o, [...place.container!, 'image'], 'image')}: ${image} is a ${found.kind} (${found.match})`);
    } else if (o.kind === 'Job' || o.kind === 'CronJob') {
      c.kind = 'worker';
      setKey('kind', o, ['kind']);
      origin.set('kind', where(o, ['kind'], ': runs to completion'));
    }
  }

  // replicas and autoscale
  const hpa = ctx.hpas.get(`${o.namespace}\0${o.kind}\0${o.name}`);
  if (!stated('replicas') && !stated('autoscale') && !stated('instances')) {
    if (hpa) {
      place.hpa = hpa;
      const min = Number(get(hpa.value, ['spec', 'minReplicas']) ?? 1);
      const max = Number(get(hpa.value, ['spec', 'maxReplicas']) ?? min);
      const minimum = Number.isInteger(min) && min >= 0 ? min : 1;
      c.autoscale = { min: minimum, max: Number.isInteger(max) && max >= minimum ? max : minimum };
      c.replicas = Math.max(1, minimum);
      c.replicasSource = 'autoscale';
      setKey('autoscale', hpa, ['spec']);
      origin.set(
        'autoscale',
        where(
          hpa,
          ['spec'],
          `scales it between ${c.autoscale.min} and ${c.autoscale.max}${get(hpa.value, ['spec', 'minReplicas']) === undefined ? ' (minReplicas unset: 1)' : ''}`,
        ),
      );
    } else if (o.kind === 'DaemonSet') {
      c.replicas = 1;
      c.replicasSource = 'per-node';
      setKey('replicas', o, ['kind']);
      origin.set('replicas', where(o, ['kind'], ': one pod per node, how many nodes is not written'));
    } else if (SCALABLE.has(o.kind)) {
      const n = get(o.value, ['spec', 'replicas']);
      if (typeof n === 'number' && Number.isInteger(n) && n >= 0) {
        c.replicas = Math.min(n, 10_000);
        c.replicasSource = 'replicas';
        setKey('replicas', o, ['spec', 'replicas']);
        origin.set('replicas', where(o, ['spec', 'replicas'], 'spec.replicas'));
      } else origin.set('replicas', `inferred: ${o.kind} ${o.name} writes no spec.replicas (1)`);
    }
  }

  // health-check: a readinessProbe; a livenessProbe alone is none.
  if (!stated('health-check') && container !== undefined) {
    const readiness = get(container, ['readinessProbe']);
    if (isObject(readiness)) {
      const period = get(readiness, ['periodSeconds']);
      c.healthCheck = {
        path: str(get(readiness, ['httpGet', 'path'])),
        interval: typeof period === 'number' ? period : parseDuration(undefined),
      };
      setKey('health-check', o, [...place.container!, 'readinessProbe']);
      origin.set('health-check', where(o, [...place.container!, 'readinessProbe'], 'readinessProbe'));
    } else if (isObject(get(container, ['livenessProbe']))) {
      c.notes = { ...c.notes, 'health-check': LIVENESS_NOTE };
    }
  }

  // state: hostPath, or a ReadWriteOnce claim mounted read-write by the pods of a shared-pod controller.
  if (!stated('state')) {
    const mounts = new Map<string, boolean>();
    for (const x of containers)
      for (const m of arr(get(x, ['volumeMounts'])))
        if (isObject(m) && typeof m.name === 'string') mounts.set(m.name, (mounts.get(m.name) ?? false) || m.readOnly !== true);
    arr(get(o.value, [...spec, 'volumes'])).forEach((v, i) => {
      if (c.state !== 'stateless' || !isObject(v) || typeof v.name !== 'string' || !mounts.get(v.name)) return;
      const at: YamlPath = [...spec, 'volumes', i];
      if (isObject(v.hostPath)) {
        c.state = 'local-disk';
        setKey('state', o, at);
        origin.set('state', where(o, at, `volume ${v.name}: a hostPath keeps data on one node`));
        return;
      }
      const claimName = str(get(v, ['persistentVolumeClaim', 'claimName']));
      if (!claimName || !SHARED_POD_KINDS.has(o.kind) || get(v, ['persistentVolumeClaim', 'readOnly']) === true) return;
      const claim = ctx.claims.get(`${o.namespace}/${claimName}`);
      const modes = arr(get(claim?.value, ['spec', 'accessModes']));
      if (modes.includes('ReadWriteOnce') || modes.includes('ReadWriteOncePod')) {
        c.state = 'local-disk';
        setKey('state', o, at);
        origin.set('state', where(o, at, `volume ${v.name}: claim ${claimName} is ReadWriteOnce, mounted read-write`));
      }
    });
  }

  // lifecycle: a bare pod, or one pinned to a node, is a pet.
  if (!stated('lifecycle')) {
    const nodeName = get(o.value, [...spec, 'nodeName']);
    if (o.kind === 'Pod' || typeof nodeName === 'string') {
      c.lifecycle = 'pet';
      const at: YamlPath = typeof nodeName === 'string' ? [...spec, 'nodeName'] : ['kind'];
      setKey('lifecycle', o, at);
      origin.set(
        'lifecycle',
        where(o, at, typeof nodeName === 'string' ? 'nodeName pins it to one node' : ': no controller recreates it'),
      );
    }
  }

  // zones: spread over the architecture's zones, or pinned to one.
  if (!stated('zones')) {
    const spread = arr(get(o.value, [...spec, 'topologySpreadConstraints'])).findIndex(
      (t) => isObject(t) && ZONE_KEYS.has(String(t.topologyKey)),
    );
    const anti = arr(
      get(o.value, [...spec, 'affinity', 'podAntiAffinity', 'requiredDuringSchedulingIgnoredDuringExecution']),
    ).findIndex((t) => isObject(t) && ZONE_KEYS.has(String(t.topologyKey)));
    const selector = strMap(get(o.value, [...spec, 'nodeSelector']));
    const zoneKey = Object.keys(selector).find((k) => ZONE_KEYS.has(k));
    const pinned = nodeAffinityZone(o, spec);
    let at: YamlPath | undefined;
    let ids: string[] = [];
    if (zoneKey) {
      at = [...spec, 'nodeSelector', zoneKey];
      ids = [selector[zoneKey]!];
    } else if (pinned) {
      at = pinned.path;
      ids = [pinned.zone];
    } else if (spread >= 0 || anti >= 0) {
      const where: YamlPath =
        spread >= 0
          ? [...spec, 'topologySpreadConstraints', spread]
          : [...spec, 'affinity', 'podAntiAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', anti];
      place.spread = { key: rangeOf(o, where, 'key'), value: rangeOf(o, where) };
      origin.set('zones', ctx.where(o, where, 'spreads it over the zones'));
    }
    if (at && ids.length > 0) {
      const range = rangeOf(o, at);
      c.zones = ids.map((id) => ({ id, range }));
      setKey('zones', o, at);
      origin.set('zones', where(o, at, `pins it to zone ${ids[0]}`));
    }
  }

  // deploy: Recreate stops every instance before starting new ones.
  if (!stated('deploy') && get(o.value, ['spec', 'strategy', 'type']) === 'Recreate') {
    c.deploy = { strategy: 'recreate' };
    setKey('deploy', o, ['spec', 'strategy', 'type']);
    origin.set('deploy', where(o, ['spec', 'strategy', 'type'], 'strategy Recreate'));
  }
}

/**
 * Zones once the architecture's are known (a Namespace's, else the configuration's): a spread
 * workload runs in all of them; with none declared, a workload pinned to a zone is placed
 * nowhere in particular (a zone failure cannot be counted without the zones).
 */
export function settleZones(built: KubernetesModel): void {
  const zones = [...built.model.zones.keys()];
  for (const [id, place] of built.places) {
    const c = built.model.components.get(id);
    if (!c || place.annotations.has('zones')) continue;
    if (place.spread && zones.length > 0) {
      c.zones = zones.map((z) => ({ id: z, range: place.spread!.value }));
      c.keys.zones = place.spread;
    } else if (zones.length === 0 && c.zones.length > 0) {
      c.zones = [];
      delete c.keys.zones;
      built.origins.get(id)?.delete('zones');
    } else if (place.spread) built.origins.get(id)?.delete('zones');
  }
}

/** A required node affinity on one zone. */
function nodeAffinityZone(o: KubeObject, spec: YamlPath): { zone: string; path: YamlPath } | undefined {
  const base: YamlPath = [
    ...spec,
    'affinity',
    'nodeAffinity',
    'requiredDuringSchedulingIgnoredDuringExecution',
    'nodeSelectorTerms',
  ];
  const terms = arr(get(o.value, base));
  if (terms.length !== 1) return undefined;
  const exprs = arr(get(terms[0], ['matchExpressions']));
  for (let i = 0; i < exprs.length; i++) {
    const e = exprs[i];
    const values = arr(get(e, ['values']));
    if (
      isObject(e) &&
      ZONE_KEYS.has(String(e.key)) &&
      e.operator === 'In' &&
      values.length === 1 &&
      typeof values[0] === 'string'
    )
      return { zone: values[0], path: [...base, 0, 'matchExpressions', i] };
  }
  return undefined;
}
