export async function main(): Promise<number> {
  throw new Error('runbook sandbox: not implemented yet');
}
