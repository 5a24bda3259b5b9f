export async function main(): Promise<number> {
  throw new Error('runbook convert: not implemented yet');
}
