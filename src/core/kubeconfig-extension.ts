/**
 * The kubeconfig cluster extension in which a sandbox publishes its address mapping (curl's `--connect-to`), so
 * that steps reach the sandbox's ingress at the address a runbook recorded. The sandbox writes it; the client reads it.
 */
export const CONNECT_TO_EXTENSION = 'runbook.dev/connect-to';
