// `kustomize build` for the part of kustomize deploy/ uses, in plain TypeScript, so the
// manifests are tested offline without a kustomize binary (npm has no maintained pure-JS
// kustomize). It refuses every field it does not implement rather than ignore it, so a
// kustomization that grows a generator or a label transformer fails here until the loader
// learns it. What it does, in kustomize's order:
//   resources   YAML files (one or more documents each) and directories holding a
//               kustomization.yaml, built recursively
//   patches     `path:` files of strategic-merge patches, one or more documents, each applied
//               to the object of its kind and name: maps merge by key (null removes one);
//               lists of named objects (containers, env, volumes, volumeMounts) merge by
//               name, new items first as kustomize puts them; any other list in a patch is
//               refused (kustomize's merge keys differ by list; none is needed yet)
//   images      `name` / `newName` / `newTag` on every container and init container
//   namespace   set on every object (deploy/ holds no cluster-scoped kind)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

export type KubernetesObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface ImageOverride {
  name: string;
  newName?: string;
  newTag?: string;
}

interface Kustomization {
  apiVersion?: string;
  kind?: string;
  namespace?: string;
  resources?: string[];
  patches?: { path: string }[];
  images?: ImageOverride[];
}

const KNOWN_FIELDS = new Set(['apiVersion', 'kind', 'namespace', 'resources', 'patches', 'images']);
const LISTS_MERGED_BY_NAME = new Set([
  'containers',
  'initContainers',
  'env',
  'volumes',
  'volumeMounts',
]);

export function readYamlDocuments(file: string): Json[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((document) => {
      if (document.errors.length > 0) throw new Error(`${file}: ${document.errors[0]?.message}`);
      return document.toJS() as Json;
    })
    .filter((document) => document !== null);
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asKubernetesObject(document: Json, file: string): KubernetesObject {
  const metadata = isObject(document) ? document['metadata'] : undefined;
  if (
    !isObject(document) ||
    typeof document['apiVersion'] !== 'string' ||
    typeof document['kind'] !== 'string' ||
    !isObject(metadata) ||
    typeof metadata['name'] !== 'string'
  ) {
    throw new Error(`${file}: every document needs apiVersion, kind and metadata.name`);
  }
  return document as unknown as KubernetesObject;
}

function nameOf(item: Json): string | undefined {
  return isObject(item) && typeof item['name'] === 'string' ? item['name'] : undefined;
}

/** A strategic-merge patch limited as the header says; `path` names the place in errors. */
export function strategicMerge(target: Json, patch: Json, path = ''): Json {
  if (isObject(target) && isObject(patch)) {
    const merged: JsonObject = { ...target };
    for (const [key, value] of Object.entries(patch)) {
      merged[key] =
        key in target && value !== null
          ? strategicMerge(target[key] as Json, value, `${path}.${key}`)
          : value;
    }
    return Object.fromEntries(Object.entries(merged).filter(([key]) => patch[key] !== null));
  }
  if (Array.isArray(patch)) {
    const key = path.slice(path.lastIndexOf('.') + 1);
    if (!LISTS_MERGED_BY_NAME.has(key) || !Array.isArray(target)) {
      throw new Error(
        `patch list ${path} is not one the deploy loader merges (by name: ${[...LISTS_MERGED_BY_NAME].join(', ')})`,
      );
    }
    const patchByName = new Map(patch.map((item) => [nameOf(item), item]));
    if (patchByName.has(undefined))
      throw new Error(`patch list ${path} has an item without a name`);
    const targetNames = new Set(target.map(nameOf));
    const added = patch.filter((item) => !targetNames.has(nameOf(item)));
    const kept = target.map((item) => {
      const override = patchByName.get(nameOf(item));
      return override === undefined
        ? item
        : strategicMerge(item, override, `${path}[${nameOf(item)}]`);
    });
    return [...added, ...kept];
  }
  return patch;
}

function overrideImage(image: string, overrides: readonly ImageOverride[]): string {
  const at = image.lastIndexOf(':');
  const name = at > image.lastIndexOf('/') ? image.slice(0, at) : image;
  const tag = at > image.lastIndexOf('/') ? image.slice(at + 1) : undefined;
  const override = overrides.find((o) => o.name === name);
  if (override === undefined) return image;
  const newTag = override.newTag ?? tag;
  return `${override.newName ?? name}${newTag === undefined ? '' : `:${newTag}`}`;
}

function podSpecOf(object: JsonObject): JsonObject | undefined {
  const spec = object['spec'];
  const template = isObject(spec) ? spec['template'] : undefined;
  const podSpec = isObject(template) ? template['spec'] : undefined;
  return isObject(podSpec) ? podSpec : undefined;
}

function withImages(
  object: KubernetesObject,
  overrides: readonly ImageOverride[],
): KubernetesObject {
  const podSpec = podSpecOf(object as unknown as JsonObject);
  if (podSpec === undefined || overrides.length === 0) return object;
  const patched = structuredClone(object);
  const patchedSpec = podSpecOf(patched as unknown as JsonObject) as JsonObject;
  for (const list of ['containers', 'initContainers']) {
    const containers = patchedSpec[list];
    if (!Array.isArray(containers)) continue;
    for (const container of containers) {
      if (isObject(container) && typeof container['image'] === 'string') {
        container['image'] = overrideImage(container['image'], overrides);
      }
    }
  }
  return patched;
}

function readKustomization(directory: string): Kustomization {
  const file = join(directory, 'kustomization.yaml');
  const [document] = readYamlDocuments(file);
  if (!isObject(document)) throw new Error(`${file} is not a kustomization`);
  const unknown = Object.keys(document).filter((key) => !KNOWN_FIELDS.has(key));
  if (unknown.length > 0) {
    throw new Error(`${file}: the deploy loader does not implement ${unknown.join(', ')}`);
  }
  return document as unknown as Kustomization;
}

/** The objects `kustomize build <directory>` prints, in the order their files list them. */
export function kustomizeBuild(directory: string): KubernetesObject[] {
  const root = resolve(directory);
  const kustomization = readKustomization(root);
  let objects = (kustomization.resources ?? []).flatMap((resource) => {
    const path = join(root, resource);
    return statSync(path).isDirectory()
      ? kustomizeBuild(path)
      : readYamlDocuments(path).map((document) => asKubernetesObject(document, path));
  });
  for (const { path } of kustomization.patches ?? []) {
    const file = join(root, path);
    for (const document of readYamlDocuments(file)) {
      const patch = asKubernetesObject(document, file);
      const index = objects.findIndex(
        (o) => o.kind === patch.kind && o.metadata.name === patch.metadata.name,
      );
      if (index < 0) throw new Error(`${file}: no ${patch.kind} ${patch.metadata.name} to patch`);
      const merged = strategicMerge(objects[index] as unknown as Json, document, '');
      objects[index] = merged as unknown as KubernetesObject;
    }
  }
  objects = objects.map((object) => withImages(object, kustomization.images ?? []));
  const { namespace } = kustomization;
  if (namespace !== undefined) {
    objects = objects.map((object) => ({ ...object, metadata: { ...object.metadata, namespace } }));
  }
  return objects;
}

/** The kustomization directories under `deployDir` (deploy/base, deploy/overlays/<name>). */
export function kustomizationsUnder(deployDir: string): string[] {
  const found: string[] = [];
  const visit = (directory: string) => {
    if (readdirSync(directory).includes('kustomization.yaml')) found.push(directory);
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      if (entry.isDirectory()) visit(join(directory, entry.name));
    }
  };
  visit(deployDir);
  return found.sort();
}
