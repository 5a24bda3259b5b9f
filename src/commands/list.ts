export async function main(): Promise<number> {
  throw new Error('runbook list: not implemented yet');
}
