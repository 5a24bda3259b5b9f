/**
 * The review resources kubectl's `auth` commands create and the API server answers without storing anything:
 * SelfSubjectAccessReview (`kubectl auth can-i`), SelfSubjectRulesReview (`can-i --list`) and SelfSubjectReview
 * (`kubectl auth whoami`). The sandbox has one user, a cluster admin, so every access review is allowed.
 */
import { ApiError } from '../../core/api-status.js';
import { isObject } from '../../core/json.js';

/** Who the kubeconfig's token authenticates as: kubeadm's admin user. */
export const SANDBOX_USER = { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] } as const;

export interface ReviewResource {
  group: 'authorization.k8s.io' | 'authentication.k8s.io';
  plural: string;
  kind: string;
  namespaced: boolean;
}

/** What discovery lists for the two groups (v1 only), so kubectl finds them. */
export const REVIEW_RESOURCES: readonly ReviewResource[] = [
  { group: 'authentication.k8s.io', plural: 'selfsubjectreviews', kind: 'SelfSubjectReview', namespaced: false },
  { group: 'authorization.k8s.io', plural: 'localsubjectaccessreviews', kind: 'LocalSubjectAccessReview', namespaced: true },
  { group: 'authorization.k8s.io', plural: 'selfsubjectaccessreviews', kind: 'SelfSubjectAccessReview', namespaced: false },
  { group: 'authorization.k8s.io', plural: 'selfsubjectrulesreviews', kind: 'SelfSubjectRulesReview', namespaced: false },
  { group: 'authorization.k8s.io', plural: 'subjectaccessreviews', kind: 'SubjectAccessReview', namespaced: false },
];

export const REVIEW_VERSION = 'v1';

/** The rules RBAC grants a member of system:masters (cluster-admin) plus what every authenticated user gets. */
const RULES = {
  resourceRules: [
    { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
    { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] },
    { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
  ],
  nonResourceRules: [
    { verbs: ['*'], nonResourceURLs: ['*'] },
    { verbs: ['get'], nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/healthz', '/livez', '/openapi', '/openapi/*', '/readyz', '/version', '/version/'] },
  ],
  incomplete: false,
};

function reviewAt(pathname: string): ReviewResource | undefined {
  const match = /^\/apis\/([^/]+)\/v1\/(?:namespaces\/[^/]+\/)?([^/]+)$/.exec(pathname);
  return match ? REVIEW_RESOURCES.find((r) => r.group === match[1] && r.plural === match[2]) : undefined;
}

/** True for a path under the review resources: the server answers it here rather than from the store. */
export function isReviewPath(pathname: string): boolean {
  return reviewAt(pathname) !== undefined;
}

/**
 * The answer to a request on a review resource. `spec` is the request's spec when it came as JSON (kubectl's
 * typed clients may send protobuf; the answer does not depend on it).
 */
export function answerReview(method: string, pathname: string, spec: unknown): { code: number; body: unknown } {
  const review = reviewAt(pathname)!;
  if (method !== 'POST') throw ApiError.of('MethodNotAllowed', 'the server does not allow this method on the requested resource');
  const head = { kind: review.kind, apiVersion: `${review.group}/${REVIEW_VERSION}`, metadata: { creationTimestamp: null } };
  const echoed = isObject(spec) ? spec : {};
  switch (review.kind) {
    case 'SelfSubjectReview':
      return { code: 201, body: { ...head, status: { userInfo: { username: SANDBOX_USER.username, groups: [...SANDBOX_USER.groups] } } } };
    case 'SelfSubjectRulesReview':
      return { code: 201, body: { ...head, spec: echoed, status: RULES } };
    default:
      return {
        code: 201,
        body: {
          ...head,
          spec: echoed,
          status: { allowed: true, reason: 'RBAC: allowed by ClusterRoleBinding "cluster-admin" of ClusterRole "cluster-admin" to Group "system:masters"' },
        },
      };
  }
}
