/**
 * Server-side apply, simplified: a field manager owns the fields of the configuration it last applied. A new
 * apply sets every field it names and removes the fields its previous configuration named and this one drops;
 * fields set by others stay. Conflicts between managers are not detected (every apply behaves as `--force`).
 */
import { isObject } from '../../core/json.js';

/**
 * The merge patch that takes a live object from `previous` (this manager's last applied configuration, if any)
 * to `applied`: `applied` itself, plus `null` for every map key that `previous` had and `applied` dropped.
 */
export function applyPatchFor(previous: unknown, applied: unknown): unknown {
  if (!isObject(applied)) return applied;
  const patch: Record<string, unknown> = {};
  if (isObject(previous)) {
    for (const key of Object.keys(previous)) if (!(key in applied)) patch[key] = null;
  }
  for (const [key, value] of Object.entries(applied)) {
    patch[key] = isObject(previous) && isObject(previous[key]) ? applyPatchFor(previous[key], value) : value;
  }
  return patch;
}

/** Remembers each manager's last applied configuration per object (by uid), for `applyPatchFor`. */
export class AppliedConfigs {
  private readonly configs = new Map<string, unknown>();

  get(uid: string, manager: string): unknown {
    return this.configs.get(`${uid}\u0000${manager}`);
  }

  set(uid: string, manager: string, config: unknown): void {
    this.configs.set(`${uid}\u0000${manager}`, structuredClone(config));
  }

  forget(uid: string): void {
    for (const key of this.configs.keys()) if (key.startsWith(`${uid}\u0000`)) this.configs.delete(key);
  }
}
