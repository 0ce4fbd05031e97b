const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Appends a key or index to a dotted field path: `nodes[3]`, `nodes[3].config`,
 * `headers["Content-Type"]`. An empty prefix means the root.
 */
export function childPath(prefix: string, key: string | number): string {
  if (typeof key === 'number') return `${prefix}[${key}]`;
  if (IDENTIFIER.test(key)) return prefix === '' ? key : `${prefix}.${key}`;
  return `${prefix}[${JSON.stringify(key)}]`;
}

/** A plain object (JSON object), as opposed to arrays, class instances and null. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Sets an own property, even one named `__proto__` (which plain assignment would turn into a
 * prototype change on the copy). */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/**
 * A JSON Pointer (`/items/0/name`, as Ajv reports instance paths) as a dotted field path under
 * `prefix`: `data.items[0].name`.
 */
export function pointerToPath(prefix: string, pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<string>((path, p) => childPath(path, /^(0|[1-9]\d*)$/.test(p) ? Number(p) : p), prefix);
}
