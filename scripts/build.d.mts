export const buildInputs: string[];
export function newestInput(root?: string): number;
export function isStale(newestInputMs: number, builtFromMs: number | undefined): boolean;
export function readManifest(root?: string): { started: number; files: string[]; retired: Record<string, number> } | undefined;
export function stale(root?: string): boolean;
/** `retireAfterMs`: how long chunks of the replaced build stay (10 minutes); `logLevel`: esbuild's ('warning'). */
export function buildInto(root?: string, options?: { retireAfterMs?: number; logLevel?: 'silent' | 'warning' }): Promise<void>;
