export const allowed: Record<string, string[]>;
export function importGraph(root?: string): {
  edges: Record<string, number>;
  backwards: { from: string; to: string; file: string; import: string }[];
};
