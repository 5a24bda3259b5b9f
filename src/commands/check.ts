export async function main(): Promise<number> {
  throw new Error('runbook check: not implemented yet');
}
