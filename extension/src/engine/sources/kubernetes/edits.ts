/**
 * Where manifests write the format's paths, and the edits that change them there.
 *
 * `components.<id>.replicas` is the workload's `spec.replicas`, `autoscale.min` / `max` its
 * HorizontalPodAutoscaler's `minReplicas` / `maxReplicas` (often in another file),
 * `health-check` the serving container's `readinessProbe` (copied from its `livenessProbe`
 * when it has one: safe; else a guess to review), and every other key an `archlint.dev/<key>`
 * annotation, which only states a fact (unsafe). Edits use the format's helpers
 * (../../fix/yamlEdits.ts) on the document that holds the value, so comments and layout survive.
 */
import { isMap, type Document } from 'yaml';
import {
  inlineText,
  insertEntries as insertIn,
  pathOfScalarAt,
  removeEntry as removeIn,
  replaceValue as replaceIn,
  type EditContext,
} from '../../fix/yamlEdits';
import { nodeAt, type YamlPath } from '../../parse/parse';
import type { TextEdit } from '../../types';
import { oneEdit, type SourceEdits, type Written } from '../written';
import { AFFINITY_ANNOTATIONS, ANNOTATION_PREFIX, type KubernetesModel, type ObjectPlaces } from './adapter';
import { isObject } from '../../model/build';
import { get, rangeOf, type KubeObject, type ManifestFile } from './manifests';

/** What an annotation edit says: it states a fact for Archlint and changes nothing Kubernetes runs. */
const STATES_ONLY = 'an archlint.dev annotation only states it: make it true of the workload';
const UNPIN = 'users move between pods: sessions kept in a pod are lost unless they live in a shared store';
const PROBE_GUESS = 'the readinessProbe is a guess: check the port and path the container serves';

/** The reads and edits of a set of manifests, by the format's paths. */
export function kubernetesWritten(
  files: readonly ManifestFile[],
  built: KubernetesModel,
): { written: Written; edits: SourceEdits } {
  const { model, places } = built;
  const contexts = new Map<Document, EditContext>();
  const ctxOf = (o: KubeObject): EditContext => {
    let ctx = contexts.get(o.doc);
    if (!ctx) contexts.set(o.doc, (ctx = { doc: o.doc, text: o.file.text }));
    return ctx;
  };
  const inFile = (edit: TextEdit, o: KubeObject, caution?: string): TextEdit => ({
    ...edit,
    range: [edit.range[0], edit.range[1], o.file.file],
    file: o.file.file,
    ...(caution && { caution }),
  });
  const placeOf = (path: YamlPath): ObjectPlaces | undefined =>
    path[0] === 'components' && typeof path[1] === 'string' ? places.get(path[1]) : undefined;
  const notWritable = (path: YamlPath): never => {
    throw new Error(`${path.join('.')} has no place in a manifest`);
  };
  const hpaKey = (key: unknown) => (key === 'min' ? 'minReplicas' : key === 'max' ? 'maxReplicas' : undefined);
  const annotation = (key: string): YamlPath => ['metadata', 'annotations', `${ANNOTATION_PREFIX}${key}`];
  const annotationText = (value: unknown): string =>
    typeof value === 'string' ? value : inlineText(value).replace(/^\[ (.*) \]$/, '$1');

  const written: Written = {
    rangeAt(path, part = 'value') {
      const place = placeOf(path);
      const c = place && model.components.get(String(path[1]));
      if (!place || !c) return model.componentsKeyRange ?? model.range;
      if (path.length === 2) return part === 'key' ? c.idRange : c.range;
      const key = String(path[2]);
      if (key === 'autoscale' && path.length === 4 && place.hpa && hpaKey(path[3]))
        return rangeOf(place.hpa, ['spec', hpaKey(path[3])!], part);
      const ranges = c.keys[key];
      return ranges ? ranges[part] : c.idRange;
    },
    nodeAt() {
      return undefined;
    },
    missingAt(path) {
      const place = placeOf(path);
      // A missing readinessProbe is the serving container's to have.
      if (place?.container && path.length === 3 && path[2] === 'health-check')
        return rangeOf(place.object, [...place.container, 'name']);
      return undefined;
    },
    writes(mapPath, key) {
      const place = placeOf(mapPath);
      if (!place) return false;
      if (mapPath.length === 3 && mapPath[2] === 'autoscale')
        return place.hpa !== undefined && hpaKey(key) !== undefined && get(place.hpa.value, ['spec', hpaKey(key)!]) !== undefined;
      const c = model.components.get(String(mapPath[1]));
      if (!c) return false;
      if (mapPath.length === 2) return place.annotations.has(key) || key in c.keys;
      if (mapPath.length !== 3 || !(String(mapPath[2]) in c.keys)) return false;
      const fields: Record<string, unknown> = {
        'rate-limit': c.rateLimit,
        'health-check': c.healthCheck,
        retry: c.retry,
        failover: c.failover,
        deploy: c.deploy,
        sharding: c.sharding,
      };
      const field = fields[String(mapPath[2])];
      const camel = key.replace(/-(\w)/g, (_, ch: string) => ch.toUpperCase());
      return isObject(field) && (field[key] ?? field[camel]) !== undefined;
    },
  };

  /** A readinessProbe for the serving container: its livenessProbe's check (safe), else a guess. */
  const readinessEdit = (place: ObjectPlaces): TextEdit => {
    const o = place.object;
    const at = place.container ?? notWritable(['readinessProbe']);
    const container = get(o.value, at);
    const liveness = get(container, ['livenessProbe']);
    if (isObject(liveness)) {
      const { initialDelaySeconds: _, failureThreshold: __, ...check } = liveness;
      return inFile(insertIn(ctxOf(o), [...o.path, ...at], [['readinessProbe', check]]), o);
    }
    const port = get(container, ['ports', 0, 'containerPort']);
    const probe =
      typeof port === 'number'
        ? { httpGet: { path: '/healthz', port }, periodSeconds: 10 }
        : { tcpSocket: { port: 80 }, periodSeconds: 10 };
    return inFile(insertIn(ctxOf(o), [...o.path, ...at], [['readinessProbe', probe]]), o, PROBE_GUESS);
  };

  /** `archlint.dev/<key>` annotations added to the object (its `metadata.annotations` made when it has none). */
  const annotationsEdit = (o: KubeObject, entries: ReadonlyArray<readonly [string, unknown]>): TextEdit => {
    const pairs = entries.map(([k, v]) => [`${ANNOTATION_PREFIX}${k}`, annotationText(v)] as const);
    const annotations = nodeAt(o.doc, [...o.path, 'metadata', 'annotations']);
    if (isMap(annotations)) return inFile(insertIn(ctxOf(o), [...o.path, 'metadata', 'annotations'], pairs), o, STATES_ONLY);
    if (annotations !== undefined) notWritable(['metadata', 'annotations']);
    return inFile(insertIn(ctxOf(o), [...o.path, 'metadata'], [['annotations', Object.fromEntries(pairs)]]), o, STATES_ONLY);
  };

  /**
   * Balancing without affinity where a manifest pins users: `sessionAffinity` removed from the
   * Service (a pool's kube-proxy, or a LoadBalancer Service), the affinity annotation from an
   * Ingress. Sessions kept in the pods are lost when users move: the caution says so.
   */
  const unpinned = (path: YamlPath): TextEdit | undefined => {
    if (path.length !== 3 || path[2] !== 'balancing') return undefined;
    const place = placeOf(path);
    // A pool's own path names the Service that pins it; a LoadBalancer Service is its own.
    const services = place
      ? [place.sticky ?? place.object]
      : path[1] === 'kube-proxy'
        ? [...new Set([...places.values()].flatMap((p) => (p.sticky ? [p.sticky] : [])))]
        : [];
    if (services.length !== 1) return undefined;
    const o = services[0]!;
    if (get(o.value, ['spec', 'sessionAffinity']) !== undefined)
      return inFile(removeIn(ctxOf(o), [...o.path, 'spec'], 'sessionAffinity'), o, UNPIN);
    const annotations = get(o.value, ['metadata', 'annotations']);
    const affinity = isObject(annotations) ? AFFINITY_ANNOTATIONS.find((k) => annotations[k] !== undefined) : undefined;
    if (affinity) return inFile(removeIn(ctxOf(o), [...o.path, 'metadata', 'annotations'], affinity), o, UNPIN);
    return undefined;
  };

  const edits: SourceEdits = {
    replaceValue(path, value) {
      if (value === 'round-robin' || value === 'random') {
        const edit = unpinned(path);
        if (edit) return edit;
      }
      const place = placeOf(path) ?? notWritable(path);
      const o = place.object;
      const key = String(path[2]);
      if (key === 'replicas' && path.length === 3 && !place.annotations.has('replicas')) {
        if (!place.scalable || get(o.value, ['spec', 'replicas']) === undefined) notWritable(path);
        return inFile(replaceIn(ctxOf(o), [...o.path, 'spec', 'replicas'], value), o);
      }
      if (key === 'autoscale' && path.length === 4 && place.hpa && hpaKey(path[3]))
        return inFile(replaceIn(ctxOf(place.hpa), [...place.hpa.path, 'spec', hpaKey(path[3])!], value), place.hpa);
      if (path.length === 3 && place.annotations.has(key))
        return inFile(replaceIn(ctxOf(o), [...o.path, ...annotation(key)], annotationText(value)), o, STATES_ONLY);
      return notWritable(path);
    },

    insertEntries(mapPath, entries) {
      const place = placeOf(mapPath) ?? notWritable(mapPath);
      const o = place.object;
      if (mapPath.length === 3 && mapPath[2] === 'autoscale' && place.hpa) {
        const hpa = place.hpa;
        const pairs = entries.map(([k, v]) => [hpaKey(k) ?? notWritable([...mapPath, k]), v] as const);
        return inFile(insertIn(ctxOf(hpa), [...hpa.path, 'spec'], pairs), hpa);
      }
      if (mapPath.length !== 2) return notWritable(mapPath);
      const parts: TextEdit[] = [];
      const rest: (readonly [string, unknown])[] = [];
      for (const entry of entries) {
        const [key, value] = entry;
        if (key === 'replicas' && place.scalable && !place.annotations.has('replicas')) {
          if (get(o.value, ['spec', 'replicas']) !== undefined)
            parts.push(inFile(replaceIn(ctxOf(o), [...o.path, 'spec', 'replicas'], value), o));
          else parts.push(inFile(insertIn(ctxOf(o), [...o.path, 'spec'], [['replicas', value]]), o));
        } else if (key === 'health-check' && place.container) parts.push(readinessEdit(place));
        else rest.push(entry);
      }
      if (rest.length > 0) parts.push(annotationsEdit(o, rest));
      return oneEdit(parts, () => o.file.text);
    },

    appendItems(path) {
      return notWritable(path);
    },

    removeEntry(mapPath, key) {
      const place = placeOf(mapPath) ?? notWritable(mapPath);
      if (mapPath.length === 2 && place.annotations.has(key))
        return inFile(
          removeIn(ctxOf(place.object), [...place.object.path, 'metadata', 'annotations'], `${ANNOTATION_PREFIX}${key}`),
          place.object,
        );
      return notWritable([...mapPath, key]);
    },

    replaceScalarAt(range, value) {
      const file = files.find((f) => f.file === range[2]) ?? files[0];
      const doc = file?.docs.find((d) => d.range[0] <= range[0] && range[0] <= d.range[2]);
      const path = doc && pathOfScalarAt(doc, range[0]);
      if (!file || !doc || !path) throw new Error(`no scalar at ${range[0]}`);
      const edit = replaceIn({ doc, text: file.text }, path, value);
      return { ...edit, range: [edit.range[0], edit.range[1], file.file], file: file.file };
    },
  };
  return { written, edits };
}
